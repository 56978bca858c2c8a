using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MLSystemDesign.Monitoring.Live;

/// <summary>
/// Healthy until a window needs attention; then the registration's failure status (Degraded by default), naming the
/// drifted features and decayed metrics. Before the host has set the monitor up, and when no monitor has the name, the
/// failure status too, saying so.
/// </summary>
internal sealed class ModelMonitorHealthCheck(string name, ModelMonitorComponent? component) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failure = context.Registration.FailureStatus;
        if (component is null)
        {
            return Task.FromResult(new HealthCheckResult(failure, $"No model monitor named '{name}' is registered (AddModelMonitor<T>(\"{name}\", …))."));
        }

        if (component.Current is not { } monitor)
        {
            return Task.FromResult(new HealthCheckResult(failure, $"{name}: the monitor is not set up yet (its setup runs when the host starts)."));
        }

        var report = monitor.LastReport;
        if (report is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{name}: no window closed yet."));
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

        return Task.FromResult(new HealthCheckResult(failure, $"{report.Model}: window {report.Window}: {string.Join("; ", parts)}.", data: data));
    }
}
