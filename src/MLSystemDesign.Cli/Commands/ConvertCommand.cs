using System.CommandLine;
using System.Globalization;
using MLSystemDesign.Inference;
using MLSystemDesign.Models;

namespace MLSystemDesign.Cli.Commands;

/// <summary>
/// <c>mlsd convert</c>: compiles a model of any supported format into the <c>mlsd</c> format (checksummed, loads in
/// milliseconds, no ML.NET or ONNX Runtime needed to serve it), and prints its signature and size. An <c>mlsd</c> file
/// of version 1 is rewritten as the current version.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create(CliContext context)
    {
        var model = CommonOptions.ExistingFile("--model", "The model file (mlsd, ML.NET zip, XGBoost JSON or ONNX).");
        var format = new Option<string>("--format") { Description = "The model format; auto reads it from the file.", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong(ModelFiles.Formats);
        var output = new Option<FileInfo>("--out") { Description = "Where to write the mlsd model.", Required = true };
        var command = new Command("convert", "Compile a model (mlsd, ML.NET zip, XGBoost JSON or ONNX) into the mlsd format of the inference core.")
        {
            model, format, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var modelPath = parse.GetRequiredValue(model).FullName;
            var outPath = parse.GetRequiredValue(output).FullName;
            var bytes = await File.ReadAllBytesAsync(modelPath, ct).ConfigureAwait(false);
            var formatId = parse.GetValue(format) is "auto" or null ? ModelFiles.Detect(bytes, modelPath) : parse.GetValue(format)!;
            var mlsd = formatId == MlsdModelFormat.Id && MlsdModelFormat.ReadVersion(bytes) == 1
                ? await UpgradeAsync(context, bytes, modelPath).ConfigureAwait(false)
                : await CompileAsync(context, bytes, modelPath, formatId, ct).ConfigureAwait(false);

            // Read back what will be written (checksum, structure, compile) before it replaces anything at --out.
            var written = await new MlsdModelFormat().LoadAsync(new MemoryStream(mlsd), ct).ConfigureAwait(false);
            await WriteAtomicallyAsync(outPath, mlsd, ct).ConfigureAwait(false);
            var trees = InferenceModel.TryGetDefinition(written, out var definition) && definition is TreeEnsembleDefinition ensemble
                ? string.Create(CultureInfo.InvariantCulture, $", {ensemble.Trees.Count} trees, {ensemble.Trees.Sum(t => t.Nodes.Count)} nodes")
                : string.Empty;
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Converted {Path.GetFileName(modelPath)} ({formatId}) -> {outPath}: {written.Signature}{trees}; {mlsd.Length:N0} bytes (mlsd version {MlsdModelFormat.CurrentVersion})")).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<byte[]> UpgradeAsync(CliContext context, byte[] bytes, string path)
    {
        await context.Error.WriteLineAsync($"warning: {path} is an mlsd file of version 1, which carries no checksum: its structure is checked, but a damaged value cannot be detected. Convert a copy you trust.").ConfigureAwait(false);
        try
        {
            return MlsdModelFormat.Upgrade(bytes);
        }
        catch (ModelFormatException ex)
        {
            throw ex.WithSource(path);
        }
    }

    private static async Task<byte[]> CompileAsync(CliContext context, byte[] bytes, string path, string formatId, CancellationToken ct)
    {
        IModel loaded;
        try
        {
            loaded = await ModelFiles.LoadAsync(context, bytes, path, formatId, "core", ct).ConfigureAwait(false);
        }
        catch (NotSupportedException ex)
        {
            throw new NotSupportedException($"{path} ({formatId}) cannot be compiled into the inference core, so it has no mlsd form: {ex.Message}", ex);
        }

        using var buffer = new MemoryStream();
        await new MlsdModelFormat().SaveAsync(loaded, buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>Writes next to the destination, then moves over it: a failure leaves no partial file and keeps what was there.</summary>
    private static async Task WriteAtomicallyAsync(string path, byte[] content, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            await File.WriteAllBytesAsync(partial, content, ct).ConfigureAwait(false);
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
