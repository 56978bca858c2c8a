using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MLSystemDesign.Monitoring.Live;

/// <summary>Healthy until a window needs attention; then Degraded, naming the drifted features and decayed metrics.</summary>
internal sealed class ModelMonitorHealthCheck<T>(ModelMonitor<T> monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = monitor.LastReport;
        if (report is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{monitor.Options.ModelName}: no window closed yet."));
        }

        var data = new Dictionary<string, object>
        {
            ["window"] = report.Window,
            ["records"] = report.RecordCount,
            ["drift_share"] = report.Drift.DriftShare,
            ["drifted_features"] = report.Drift.DriftedFeatures.ToArray(),
            ["decay_alerts"] = report.DecayAlerts.ToArray(),
            ["dropped"] = monitor.DroppedCount,
        };
        if (!report.NeedsAttention)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{report.Model}: window {report.Window} shows no drift.", data));
        }

        var parts = new List<string>();
        if (report.Drift.DatasetDrift)
        {
            parts.Add($"data drift in {string.Join(", ", report.Drift.DriftedFeatures)}");
        }

        if (report.OutputDrift is { Drift: true })
        {
            parts.Add("the model's output drifted");
        }

        if (report.DecayAlerts.Count > 0)
        {
            parts.Add($"estimated {string.Join(", ", report.DecayAlerts)} left the reference band");
        }

        return Task.FromResult(HealthCheckResult.Degraded($"{report.Model}: window {report.Window}: {string.Join("; ", parts)}.", data: data));
    }
}
