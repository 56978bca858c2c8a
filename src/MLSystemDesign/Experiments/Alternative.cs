namespace MLSystemDesign.Experiments;

/// <summary>The alternative hypothesis of a test, about treatment − control (statsmodels' and SciPy's meaning).</summary>
public enum Alternative
{
    /// <summary>The treatment differs from the control.</summary>
    TwoSided,

    /// <summary>The treatment is larger than the control (SciPy's <c>greater</c>, statsmodels' <c>larger</c>).</summary>
    Larger,

    /// <summary>The treatment is smaller than the control (SciPy's <c>less</c>, statsmodels' <c>smaller</c>).</summary>
    Smaller,
}
