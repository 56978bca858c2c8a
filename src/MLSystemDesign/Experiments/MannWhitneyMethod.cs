namespace MLSystemDesign.Experiments;

/// <summary>How the Mann–Whitney U test computes its p-value.</summary>
public enum MannWhitneyMethod
{
    /// <summary>As SciPy chooses: exact when one arm has at most 8 values and no value is tied, asymptotic otherwise.</summary>
    Automatic,

    /// <summary>The exact null distribution of U (no correction for ties).</summary>
    Exact,

    /// <summary>The normal approximation with the tie correction (and the continuity correction when asked).</summary>
    Asymptotic,
}
