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
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public static IStreamingDriftDetector Adwin(AdwinOptions? options = null) => new Streaming.Adwin(OptionsValidation.ThrowIfInvalid<AdwinOptions, AdwinOptionsValidator>(options ?? new AdwinOptions()));

    /// <summary>Page-Hinkley: cumulative deviations from the running mean against a threshold λ.</summary>
    /// <param name="options">The options; River's defaults when omitted.</param>
    /// <returns>A new detector.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public static IStreamingDriftDetector PageHinkley(PageHinkleyOptions? options = null) => new Streaming.PageHinkley(OptionsValidation.ThrowIfInvalid<PageHinkleyOptions, PageHinkleyOptionsValidator>(options ?? new PageHinkleyOptions()));

    /// <summary>DDM (Gama et al.): an error stream of 0s and 1s whose rate rises beyond its best level plus 2σ (warning) or 3σ (drift).</summary>
    /// <param name="options">The options; River's defaults when omitted.</param>
    /// <returns>A new detector.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public static IStreamingDriftDetector Ddm(DdmOptions? options = null) => new Streaming.Ddm(OptionsValidation.ThrowIfInvalid<DdmOptions, DdmOptionsValidator>(options ?? new DdmOptions()));

    /// <summary>KSWIN (Raab et al.): a KS test of the newest values against values drawn from the rest of a sliding window.</summary>
    /// <param name="options">The options; River's defaults (with seed 42) when omitted.</param>
    /// <returns>A new detector.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public static IStreamingDriftDetector Kswin(KswinOptions? options = null) => new Streaming.Kswin(OptionsValidation.ThrowIfInvalid<KswinOptions, KswinOptionsValidator>(options ?? new KswinOptions()));

    internal static void CheckValue(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentException("A streaming drift detector cannot read NaN; skip or count missing values before it.", nameof(value));
        }
    }
}
