namespace MLSystemDesign.Monitoring;

/// <summary>Options of ADWIN. Defaults are River's (<c>drift.ADWIN</c>).</summary>
public sealed class AdwinOptions
{
    /// <summary>Gets or sets the confidence δ of a cut. Default 0.002; in (0, 1).</summary>
    public double Delta { get; set; } = 0.002;

    /// <summary>Gets or sets how often (in values) cuts are checked. Default 32; at least 1.</summary>
    public int Clock { get; set; } = 32;

    /// <summary>Gets or sets how many buckets of each size are kept before two merge. Default 5; at least 2.</summary>
    public int MaxBuckets { get; set; } = 5;

    /// <summary>Gets or sets the smallest size of either sub-window at a cut. Default 5; at least 1.</summary>
    public int MinWindowLength { get; set; } = 5;

    /// <summary>Gets or sets how many values are read before the first check. Default 10; at least 0.</summary>
    public int GracePeriod { get; set; } = 10;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (Delta is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Delta), Delta, "δ lies strictly between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Clock, 1, nameof(Clock));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBuckets, 2, nameof(MaxBuckets));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinWindowLength, 1, nameof(MinWindowLength));
        ArgumentOutOfRangeException.ThrowIfNegative(GracePeriod, nameof(GracePeriod));
    }
}

/// <summary>Whether Page-Hinkley looks for the mean going up, down or both.</summary>
public enum PageHinkleyMode
{
    /// <summary>Increases and decreases.</summary>
    Both,

    /// <summary>Increases only (e.g. an error rate).</summary>
    Up,

    /// <summary>Decreases only.</summary>
    Down,
}

/// <summary>Options of Page-Hinkley. Defaults are River's (<c>drift.PageHinkley</c>).</summary>
public sealed class PageHinkleyOptions
{
    /// <summary>Gets or sets how many values are read before a drift can be signalled. Default 30; at least 1.</summary>
    public int MinInstances { get; set; } = 30;

    /// <summary>Gets or sets the tolerated change δ per value. Default 0.005; at least 0.</summary>
    public double Delta { get; set; } = 0.005;

    /// <summary>Gets or sets the alarm threshold λ. Default 50; positive.</summary>
    public double Threshold { get; set; } = 50;

    /// <summary>Gets or sets the forgetting factor α of the cumulative sums. Default 0.9999; in (0, 1].</summary>
    public double Alpha { get; set; } = 1 - 0.0001;

    /// <summary>Gets or sets the direction watched. Default both.</summary>
    public PageHinkleyMode Mode { get; set; } = PageHinkleyMode.Both;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinInstances, 1, nameof(MinInstances));
        ArgumentOutOfRangeException.ThrowIfNegative(Delta, nameof(Delta));
        if (!(Threshold > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "λ must be positive.");
        }

        if (Alpha is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "α lies in (0, 1].");
        }
    }
}

/// <summary>Options of DDM. Defaults are River's (<c>drift.binary.DDM</c>).</summary>
public sealed class DdmOptions
{
    /// <summary>Gets or sets how many values are read before warnings and drifts. Default 30; at least 1.</summary>
    public int WarmStart { get; set; } = 30;

    /// <summary>Gets or sets the warning level in standard deviations. Default 2.</summary>
    public double WarningThreshold { get; set; } = 2.0;

    /// <summary>Gets or sets the drift level in standard deviations. Default 3; not below the warning level.</summary>
    public double DriftThreshold { get; set; } = 3.0;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(WarmStart, 1, nameof(WarmStart));
        if (!(WarningThreshold > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(WarningThreshold), WarningThreshold, "The warning level must be positive.");
        }

        if (!(DriftThreshold >= WarningThreshold))
        {
            throw new ArgumentOutOfRangeException(nameof(DriftThreshold), DriftThreshold, "The drift level must not be below the warning level.");
        }
    }
}

/// <summary>Options of KSWIN. Defaults are River's (<c>drift.KSWIN</c>).</summary>
public sealed class KswinOptions
{
    /// <summary>Gets or sets the significance level of the KS test. Default 0.005; in (0, 1).</summary>
    public double Alpha { get; set; } = 0.005;

    /// <summary>Gets or sets the sliding window's size. Default 100.</summary>
    public int WindowSize { get; set; } = 100;

    /// <summary>Gets or sets how many of the newest values are tested against as many drawn from the rest. Default 30; less than half the window.</summary>
    public int StatSize { get; set; } = 30;

    /// <summary>Gets or sets the seed of the draws. Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (Alpha is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "α lies strictly between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(StatSize, 2, nameof(StatSize));
        if (WindowSize < 2 * StatSize)
        {
            throw new ArgumentOutOfRangeException(nameof(WindowSize), WindowSize, $"The window must hold at least twice the stat size ({2 * StatSize}) so the two samples do not overlap.");
        }
    }
}
