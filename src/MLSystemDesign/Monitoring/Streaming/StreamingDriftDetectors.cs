namespace MLSystemDesign.Monitoring;

/// <summary>
/// The streaming drift detectors, with River's defaults: ADWIN, Page-Hinkley, DDM and KSWIN. Each reports one drift per
/// change (it starts afresh on the values after a drift) and can be reset.
/// </summary>
public static class StreamingDriftDetectors
{
    /// <summary>ADWIN (Bifet and Gavaldà): an adaptive window cut where its two parts' means differ beyond a Hoeffding-style bound.</summary>
    /// <param name="options">The options; River's defaults when omitted.</param>
    /// <returns>A new detector.</returns>
    public static IStreamingDriftDetector Adwin(AdwinOptions? options = null) => new Streaming.Adwin(Validated(options ?? new AdwinOptions(), o => o.Validate()));

    /// <summary>Page-Hinkley: cumulative deviations from the running mean against a threshold λ.</summary>
    /// <param name="options">The options; River's defaults when omitted.</param>
    /// <returns>A new detector.</returns>
    public static IStreamingDriftDetector PageHinkley(PageHinkleyOptions? options = null) => new Streaming.PageHinkley(Validated(options ?? new PageHinkleyOptions(), o => o.Validate()));

    /// <summary>DDM (Gama et al.): an error stream of 0s and 1s whose rate rises beyond its best level plus 2σ (warning) or 3σ (drift).</summary>
    /// <param name="options">The options; River's defaults when omitted.</param>
    /// <returns>A new detector.</returns>
    public static IStreamingDriftDetector Ddm(DdmOptions? options = null) => new Streaming.Ddm(Validated(options ?? new DdmOptions(), o => o.Validate()));

    /// <summary>KSWIN (Raab et al.): a KS test of the newest values against values drawn from the rest of a sliding window.</summary>
    /// <param name="options">The options; River's defaults (with seed 42) when omitted.</param>
    /// <returns>A new detector.</returns>
    public static IStreamingDriftDetector Kswin(KswinOptions? options = null) => new Streaming.Kswin(Validated(options ?? new KswinOptions(), o => o.Validate()));

    private static T Validated<T>(T options, Action<T> validate)
    {
        validate(options);
        return options;
    }

    internal static void CheckValue(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentException("A streaming drift detector cannot read NaN; skip or count missing values before it.", nameof(value));
        }
    }
}
