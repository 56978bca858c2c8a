using System.Diagnostics;
using MLSystemDesign.Inference;
using MLSystemDesign.MLNet;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace FlightDelays;

/// <summary>
/// Step 8: compile the chosen ML.NET model into the SIMD inference core, check that it scores March exactly as ML.NET
/// does, compare the time per flight on the request path (one flight per call), and save it in the compact mlsd format.
/// </summary>
internal static class FastScoring
{
    public static async Task RunAsync(SampleConsole ui, IModel chosen, TrainingSet march, string outputDir)
    {
        IModel core;
        try
        {
            core = MLNetInference.Compile(chosen);
        }
        catch (NotSupportedException ex)
        {
            ui.Line($"The chosen model is not compiled by the inference core: {ex.Message}");
            return;
        }

        var width = march.FeatureCount;
        var rows = march.RowCount;
        var outWidth = chosen.Signature.OutputWidth;
        var expected = new float[rows * outWidth];
        var actual = new float[rows * outWidth];
        chosen.PredictBatch(march.Features.Span, expected);
        core.PredictBatch(march.Features.Span, actual);
        var maxDifference = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            maxDifference = Math.Max(maxDifference, Math.Abs(expected[i] - actual[i]));
        }

        ui.Line($"Compiled {chosen.Signature} into the inference core; on {rows:N0} March flights the largest difference from ML.NET is {maxDifference:E1}.");

        // One flight per call, as a request path scores: ML.NET's PredictionEngine against the core (a stopwatch
        // here; docs/benchmarks.md has the BenchmarkDotNet ratios).
        var sample = Math.Min(rows, 20_000);
        var output = new float[outWidth];
        var mlnetTime = Time(chosen, march, sample, output);
        var coreTime = Time(core, march, sample, output);
        var ratio = mlnetTime / coreTime;
        var comparison = ratio >= 1 ? $"{ratio:0.0}× faster" : $"{1 / ratio:0.0}× slower";
        var optimized = typeof(InferenceModel).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .OfType<DebuggableAttribute>().All(a => !a.IsJITOptimizerDisabled);
        var build = optimized ? string.Empty : " — an unoptimized Debug build: run with -c Release to time the kernels";
        ui.Line($"One flight per call over {sample:N0} flights: ML.NET {mlnetTime.TotalMicroseconds / sample:0.00} µs, core {coreTime.TotalMicroseconds / sample:0.000} µs per flight ({comparison}{build}).");

        var path = Path.Combine(outputDir, "model.mlsd");
        await using (var file = File.Create(path))
        {
            await new MlsdModelFormat().SaveAsync(core, file);
        }

        ui.Line($"Saved the compiled model to {Path.GetRelativePath(Environment.CurrentDirectory, path)} ({new FileInfo(path).Length / 1024.0:0} KiB); score files with: mlsd predict --model {Path.GetRelativePath(Environment.CurrentDirectory, path)} --input <flights> --output <csv>");
    }

    private static TimeSpan Time(IModel model, TrainingSet data, int rows, float[] output)
    {
        for (var r = 0; r < Math.Min(rows, 1000); r++)
        {
            model.Predict(data.Row(r), output);
        }

        var clock = Stopwatch.StartNew();
        for (var r = 0; r < rows; r++)
        {
            model.Predict(data.Row(r), output);
        }

        return clock.Elapsed;
    }
}
