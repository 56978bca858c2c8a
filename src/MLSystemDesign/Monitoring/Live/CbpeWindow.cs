namespace MLSystemDesign.Monitoring.Live;

/// <summary>
/// Confidence-based performance estimation (CBPE) for one window: collects the model's probabilities and, when the
/// reference carries a performance reference, estimates the metrics from them through the reference's calibration and
/// names those that left their reference band.
/// </summary>
internal sealed class CbpeWindow(int probabilityOutput)
{
    private readonly List<float> _probabilities = [];

    /// <summary>Collects the probability among one record's outputs, if the outputs hold one.</summary>
    public void Add(ReadOnlySpan<float> outputs)
    {
        if (probabilityOutput >= 0 && !float.IsNaN(outputs[probabilityOutput]))
        {
            _probabilities.Add(outputs[probabilityOutput]);
        }
    }

    /// <summary>Estimates the window's metrics, or none when there is no performance reference or no probability.</summary>
    public (IReadOnlyDictionary<string, double>? Estimated, IReadOnlyList<string> Alerts) Estimate(PerformanceReference? performance)
    {
        if (performance is null || _probabilities.Count == 0)
        {
            return (null, []);
        }

        var estimated = performance.Estimate(_probabilities.ToArray());
        return (estimated, performance.OutsideBands(estimated));
    }

    /// <summary>Gets the index of the <c>probability</c> output in a reference's outputs, or -1.</summary>
    public static int ProbabilityOutput(ReferenceProfile reference)
    {
        for (var i = 0; i < reference.Outputs.Count; i++)
        {
            if (reference.Outputs[i].Name == "probability")
            {
                return i;
            }
        }

        return -1;
    }
}
