using System.Diagnostics.Metrics;

namespace MLSystemDesign.Monitoring.Live;

/// <summary>The monitor's <see cref="System.Diagnostics.Metrics"/> instruments, each tagged with the model's name, and what a closed window records on them.</summary>
internal sealed class MonitorInstruments(Meter meter)
{
    private readonly Counter<long> _sampled = meter.CreateCounter<long>("mlsd.monitor.records.sampled", "{record}", "Sampled predictions processed by the monitor.");
    private readonly Counter<long> _dropped = meter.CreateCounter<long>("mlsd.monitor.records.dropped", "{record}", "Sampled predictions dropped because the monitor's queue was full.");
    private readonly Counter<long> _windows = meter.CreateCounter<long>("mlsd.monitor.windows", "{window}", "Windows closed.");
    private readonly Gauge<double> _driftShare = meter.CreateGauge<double>("mlsd.monitor.drift_share", null, "Share of features that drifted in the last window.");
    private readonly Gauge<double> _featureStatistic = meter.CreateGauge<double>("mlsd.monitor.feature.statistic", null, "Drift statistic of a feature in the last window.");
    private readonly Counter<long> _featureDrifts = meter.CreateCounter<long>("mlsd.monitor.feature.drifts", "{window}", "Windows in which a feature drifted.");
    private readonly Counter<long> _violations = meter.CreateCounter<long>("mlsd.monitor.validation.violations", "{value}", "Live values missing, out of the reference range, or in unseen categories.");
    private readonly Gauge<double> _estimatedPerformance = meter.CreateGauge<double>("mlsd.monitor.estimated_performance", null, "CBPE-estimated metric of the last window.");

    /// <summary>Records one closed window.</summary>
    public void Record(MonitoringReport report)
    {
        var model = new KeyValuePair<string, object?>("model", report.Model);
        _sampled.Add(report.RecordCount, model);
        _windows.Add(1, model);
        if (report.DroppedCount > 0)
        {
            _dropped.Add(report.DroppedCount, model);
        }

        if (report.Skipped)
        {
            return;
        }

        _driftShare.Record(report.Drift.DriftShare, model);
        foreach (var c in report.Drift.Columns)
        {
            _featureStatistic.Record(c.Statistic, model, new("feature", c.Feature), new("test", c.Test));
            if (c.Drift)
            {
                _featureDrifts.Add(1, model, new("feature", c.Feature));
            }
        }

        foreach (var v in report.Validation)
        {
            _violations.Add(v.Missing, model, new("feature", v.Feature), new("rule", "missing"));
            _violations.Add(v.BelowRange + v.AboveRange, model, new("feature", v.Feature), new("rule", "range"));
            _violations.Add(v.UnseenCategories, model, new("feature", v.Feature), new("rule", "unseen_category"));
        }

        if (report.EstimatedPerformance is { } estimated)
        {
            foreach (var (metric, value) in estimated)
            {
                _estimatedPerformance.Record(value, model, new("metric", metric));
            }
        }
    }
}
