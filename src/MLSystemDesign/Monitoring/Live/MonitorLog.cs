using Microsoft.Extensions.Logging;

namespace MLSystemDesign.Monitoring.Live;

/// <summary>The monitor's log messages (source-generated, no allocation when disabled).</summary>
internal static partial class MonitorLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Model {Model}: window {Window} closed with {Records} records; {Drifted} of {Features} features drifted (share {Share:0.00}).")]
    public static partial void WindowClosed(ILogger logger, string model, long window, long records, int drifted, int features, double share);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Model {Model}: data drift in window {Window}: {Features}.")]
    public static partial void DatasetDrift(ILogger logger, string model, long window, string features);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Model {Model}: estimated {Metrics} left the reference band in window {Window}.")]
    public static partial void Decay(ILogger logger, string model, long window, string metrics);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Model {Model}: {Dropped} sampled records were dropped in window {Window}: the monitor's queue was full.")]
    public static partial void Dropped(ILogger logger, string model, long window, long dropped);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "Model {Model}: window {Window} had only {Records} records (fewer than {Minimum}); not compared.")]
    public static partial void Skipped(ILogger logger, string model, long window, long records, int minimum);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Model {Model}: the model's output drifted in window {Window}: {Explanation}")]
    public static partial void OutputDrift(ILogger logger, string model, long window, string explanation);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "Model {Model}: processing sampled records failed.")]
    public static partial void ProcessingFailed(ILogger logger, string model, Exception exception);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Model {Model}: {Count} predictions arrived before the monitor was set up and were not observed.")]
    public static partial void ObservedBeforeSetUp(ILogger logger, string model, long count);

    /// <summary>Logs what a closed window showed: drops, a skipped window, the drift summary, data-set and output drift, decay.</summary>
    public static void Report(ILogger logger, MonitoringReport report, int minWindowRecords)
    {
        if (report.DroppedCount > 0)
        {
            Dropped(logger, report.Model, report.Window, report.DroppedCount);
        }

        if (report.Skipped)
        {
            Skipped(logger, report.Model, report.Window, report.RecordCount, minWindowRecords);
            return;
        }

        var drifted = report.Drift.DriftedFeatures.ToArray();
        WindowClosed(logger, report.Model, report.Window, report.RecordCount, drifted.Length, report.Drift.Columns.Count, report.Drift.DriftShare);
        if (report.Drift.DatasetDrift)
        {
            DatasetDrift(logger, report.Model, report.Window, string.Join(", ", drifted));
        }

        if (report.OutputDrift is { Drift: true } output)
        {
            OutputDrift(logger, report.Model, report.Window, output.Explanation);
        }

        if (report.DecayAlerts.Count > 0)
        {
            Decay(logger, report.Model, report.Window, string.Join(", ", report.DecayAlerts));
        }
    }
}
