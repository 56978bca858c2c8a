using MLSystemDesign.Data;
using MLSystemDesign.Expectations;
using MLSystemDesign.Features;

namespace MLSystemDesign.Monitoring.Live;

/// <summary>What every window of one monitor compares against and how it reports.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Reference">The reference profile.</param>
/// <param name="RawFeatures">The pipeline's raw features (the reference profiled the same).</param>
/// <param name="Analyzer">The drift analyzer.</param>
/// <param name="Expectations">The expectation suite to check each window's records against, if any.</param>
/// <param name="MinRecords">The fewest records a window needs to be compared.</param>
/// <param name="Time">The clock.</param>
internal sealed record WindowSettings(string Model, ReferenceProfile Reference, IReadOnlyList<RawFeature> RawFeatures, DriftAnalyzer Analyzer, ExpectationSuite? Expectations, int MinRecords, TimeProvider Time)
{
    /// <summary>Gets the index of the <c>probability</c> output, or -1.</summary>
    public int ProbabilityOutput { get; } = CbpeWindow.ProbabilityOutput(Reference);
}

/// <summary>
/// The open tumbling window: a live profile of the raw features and outputs, live validation counts, the probabilities
/// for CBPE and (with a suite) the records. Closing it compares the live profile with the reference and builds the
/// window's <see cref="MonitoringReport"/>.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class MonitorWindow<T>
{
    private readonly WindowSettings _settings;
    private readonly ProfileBuilder _profile;
    private readonly LiveValidation _validation;
    private readonly CbpeWindow _cbpe;
    private readonly List<T>? _records;
    private readonly DateTimeOffset _start;

    public MonitorWindow(WindowSettings settings, MonitorWindowSlot slot, DateTimeOffset start)
    {
        _settings = settings;
        Slot = slot;
        _start = start;
        var reference = settings.Reference;
        _profile = new ProfileBuilder(settings.RawFeatures, reference.Outputs.Select(o => o.Name).ToArray(), reference.Options);
        _validation = new LiveValidation(reference.Features);
        _cbpe = new CbpeWindow(settings.ProbabilityOutput);
        _records = settings.Expectations is null ? null : [];
    }

    public MonitorWindowSlot Slot { get; }

    public long Count { get; private set; }

    public void Add(T record, ReadOnlySpan<FieldValue> raw, ReadOnlySpan<float> outputs)
    {
        Count++;
        _profile.Add(raw, outputs[.._settings.Reference.Outputs.Count]);
        _validation.Add(raw);
        _cbpe.Add(outputs);
        _records?.Add(record);
    }

    public MonitoringReport Finish(long dropped)
    {
        var settings = _settings;
        var reference = settings.Reference;
        var end = settings.Time.GetUtcNow();
        var expectations = _records is null ? null : new DataValidator(settings.Time).Validate(_records, settings.Expectations!, $"window {Slot.Index}");
        var report = new MonitoringReport
        {
            Model = settings.Model,
            Window = Slot.Index,
            Start = _start,
            End = end,
            RecordCount = Count,
            DroppedCount = dropped,
            Skipped = Count < settings.MinRecords,
            Drift = new DatasetDriftReport([], 0, false),
            Validation = _validation.Finish(Count),
            Expectations = expectations,
        };
        if (report.Skipped)
        {
            return report;
        }

        var live = _profile.Build();
        DriftTestResult? outputDrift = null;
        if (reference.Outputs.Count > 0)
        {
            var index = Math.Max(settings.ProbabilityOutput, 0);
            outputDrift = settings.Analyzer.TestFeature(reference.Outputs[index].ToSample(), live.Outputs[index].ToSample());
        }

        var (estimated, alerts) = _cbpe.Estimate(reference.Performance);
        return report with
        {
            Drift = settings.Analyzer.Analyze(reference, live),
            OutputDrift = outputDrift,
            EstimatedPerformance = estimated,
            DecayAlerts = alerts,
        };
    }
}
