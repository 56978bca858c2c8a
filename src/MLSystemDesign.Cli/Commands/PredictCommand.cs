using System.CommandLine;
using System.Globalization;
using MLSystemDesign.Data;
using MLSystemDesign.Models;

namespace MLSystemDesign.Cli.Commands;

/// <summary>
/// <c>mlsd predict</c>: scores a data file with a model and writes one CSV row of outputs per input row, in order
/// (<c>score</c>; <c>score,probability</c>; or <c>prob_0 … prob_{k-1}</c>). Input columns are matched to the model's
/// features by name, or by position through columns named <c>f0 … f{n-1}</c>; an empty field or NaN is a missing value.
/// </summary>
internal static class PredictCommand
{
    private const int BatchRows = 8192;

    /// <summary>The most input values one batch holds (16 MiB of floats).</summary>
    private const long BatchValues = 1 << 22;

    public static Command Create(CliContext context)
    {
        var model = CommonOptions.ExistingFile("--model", "The model file.");
        var format = new Option<string>("--format") { Description = "The model format; auto reads it from the file.", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong(ModelFiles.Formats);
        var engine = new Option<string>("--engine") { Description = "core (the SIMD inference core), onnxruntime (ONNX models) or mlnet (ML.NET models).", DefaultValueFactory = _ => "core" };
        engine.AcceptOnlyFromAmong("core", "onnxruntime", "mlnet");
        var input = CommonOptions.ExistingFile("--input", "The rows to score (.csv, .tsv, .jsonl, .parquet).");
        var output = new Option<FileInfo>("--output") { Description = "Where to write the predictions (CSV).", Required = true };
        var skipBad = CommonOptions.SkipBadRecords();
        var command = new Command("predict", "Score a data file with a model (mlsd, ML.NET zip, XGBoost JSON or ONNX) on the inference core, ONNX Runtime or ML.NET.")
        {
            model, format, engine, input, output, skipBad,
        };
        command.SetAction(async (parse, ct) =>
        {
            var modelPath = parse.GetRequiredValue(model).FullName;
            var bytes = await File.ReadAllBytesAsync(modelPath, ct).ConfigureAwait(false);
            var formatId = parse.GetValue(format) is "auto" or null ? ModelFiles.Detect(bytes, modelPath) : parse.GetValue(format)!;
            var engineName = parse.GetValue(engine)!;
            var loaded = await ModelFiles.LoadAsync(context, bytes, modelPath, formatId, engineName, ct).ConfigureAwait(false);
            try
            {
                var inputPath = parse.GetRequiredValue(input).FullName;
                var (records, _) = await CommonOptions.ReadTabularAsync(context, inputPath, parse.GetValue(skipBad), ct).ConfigureAwait(false);
                var outPath = parse.GetRequiredValue(output).FullName;
                var rows = await ScoreAsync(loaded, records, inputPath, outPath, ct).ConfigureAwait(false);
                await context.Output.WriteLineAsync($"Scored {rows} rows with {Path.GetFileName(modelPath)} ({formatId}, {engineName} engine): {loaded.Signature} -> {outPath}").ConfigureAwait(false);
            }
            finally
            {
                (loaded as IDisposable)?.Dispose();
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> ScoreAsync(IModel model, List<TabularRecord> records, string inputPath, string outPath, CancellationToken ct)
    {
        var signature = model.Signature;
        var width = signature.InputWidth;
        var columns = records.Count == 0 ? [] : Columns(signature, records[0].Schema);
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        await using var writer = new StreamWriter(outPath);
        await writer.WriteLineAsync(string.Join(',', signature.Outputs)).ConfigureAwait(false);

        // A batch holds at most BatchValues inputs, however wide the model: its width is whatever the file declares.
        var batchRows = (int)Math.Clamp(BatchValues / Math.Max(width, signature.OutputWidth), 1, BatchRows);
        var features = new float[Math.Min(batchRows, Math.Max(1, records.Count)) * width];
        var outputs = new float[features.Length / width * signature.OutputWidth];
        for (var start = 0; start < records.Count; start += batchRows)
        {
            ct.ThrowIfCancellationRequested();
            var n = Math.Min(batchRows, records.Count - start);
            for (var r = 0; r < n; r++)
            {
                var record = records[start + r];
                for (var j = 0; j < width; j++)
                {
                    features[(r * width) + j] = Value(record[columns[j]], inputPath, start + r + 1, record.Schema.Fields[columns[j]].Name);
                }
            }

            model.PredictBatch(features.AsSpan(0, n * width), outputs.AsSpan(0, n * signature.OutputWidth));
            for (var r = 0; r < n; r++)
            {
                var line = string.Join(',', outputs.AsSpan(r * signature.OutputWidth, signature.OutputWidth).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
                await writer.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        return records.Count;
    }

    /// <summary>The input column of each feature: by the model's feature names, else by columns f0 … f{n-1}.</summary>
    private static int[] Columns(ModelSignature signature, RecordSchema schema)
    {
        var byName = signature.FeatureNames?.Select(schema.IndexOf).ToArray();
        if (byName is not null && byName.All(i => i >= 0))
        {
            return byName;
        }

        var byPosition = Enumerable.Range(0, signature.InputWidth).Select(i => schema.IndexOf(string.Create(CultureInfo.InvariantCulture, $"f{i}"))).ToArray();
        if (byPosition.All(i => i >= 0))
        {
            return byPosition;
        }

        var wanted = byName is not null
            ? $"the model's features ({string.Join(", ", signature.FeatureNames!.Where(n => schema.IndexOf(n) < 0).Take(10))} are missing)"
            : $"columns f0 … f{signature.InputWidth - 1} (the model has no feature names; {string.Join(", ", byPosition.Select((c, i) => (c, i)).Where(x => x.c < 0).Take(10).Select(x => $"f{x.i}"))} are missing)";
        throw new ArgumentException($"The input has no columns for {wanted}. Its columns: {string.Join(", ", schema.Fields.Select(f => f.Name))}.");
    }

    /// <summary>An input value as a float; text that is not a number, and a finite number beyond the float range, are errors naming file, record and column.</summary>
    private static float Value(FieldValue value, string path, int row, string column)
    {
        var number = value.Kind switch
        {
            FieldValueKind.Missing => double.NaN,
            FieldValueKind.Number => value.Number,
            FieldValueKind.Boolean => value.Boolean ? 1 : 0,
            FieldValueKind.Text when string.IsNullOrWhiteSpace(value.Text) => double.NaN,
            FieldValueKind.Text when double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw Bad(value, path, row, column, "not a number"),
        };
        var single = (float)number;
        return float.IsInfinity(single) && double.IsFinite(number)
            ? throw Bad(value, path, row, column, $"outside the range of a float (±{float.MaxValue.ToString("G9", CultureInfo.InvariantCulture)}), so the model cannot take it")
            : single;
    }

    private static DataRecordException Bad(FieldValue value, string path, int row, string column, string reason) =>
        new(new BadRecord(path, row, null, column, value.ToString(), reason));
}
