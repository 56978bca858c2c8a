using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MLSystemDesign.Features;

/// <summary>How a missing numeric value (NaN or null) is filled in.</summary>
public enum MissingValueImputation
{
    /// <summary>The mean of the training values. The default (as scikit-learn's SimpleImputer).</summary>
    Mean,

    /// <summary>The median of the training values (keeps the training values in memory while fitting).</summary>
    Median,

    /// <summary>A constant, <see cref="NumericFeatureOptions.ImputeConstant"/>.</summary>
    Constant,

    /// <summary>Left as NaN, for models that route missing values themselves (tree ensembles).</summary>
    None,
}

/// <summary>How a numeric value is scaled after imputation.</summary>
public enum NumericScaling
{
    /// <summary>Unchanged. The default.</summary>
    None,

    /// <summary>(x − min) / (max − min) over the training values; a constant feature is only shifted (divisor 1), as scikit-learn's MinMaxScaler does.</summary>
    MinMax,

    /// <summary>(x − mean) / σ with the population standard deviation of the training values; σ = 0 is treated as 1.</summary>
    ZScore,
}

/// <summary>How a category becomes slots.</summary>
public enum CategoricalEncoding
{
    /// <summary>
    /// One slot per learned category plus one <c>&lt;other&gt;</c> slot for categories outside the vocabulary,
    /// categories too rare to learn, and missing values. The default.
    /// </summary>
    OneHot,

    /// <summary>A fixed number of buckets chosen by a stable 64-bit hash (XxHash3) of the category; a missing value sets no bucket.</summary>
    Hashed,
}

/// <summary>Options of a numeric feature; validated (by <see cref="NumericFeatureOptionsValidator"/>, named by the feature) when the feature is declared.</summary>
public sealed class NumericFeatureOptions : IValidatableObject
{
    /// <summary>Gets or sets how missing values are filled. Default <see cref="MissingValueImputation.Mean"/>.</summary>
    [EnumDataType(typeof(MissingValueImputation))]
    public MissingValueImputation Imputation { get; set; } = MissingValueImputation.Mean;

    /// <summary>Gets or sets the fill value for <see cref="MissingValueImputation.Constant"/>. Default 0; finite when used.</summary>
    public double ImputeConstant { get; set; }

    /// <summary>Gets or sets whether a second slot holds 1 when the value was missing. Default <see langword="false"/>.</summary>
    public bool AddMissingIndicator { get; set; }

    /// <summary>Gets or sets the scaling. Default <see cref="NumericScaling.None"/>.</summary>
    [EnumDataType(typeof(NumericScaling))]
    public NumericScaling Scaling { get; set; } = NumericScaling.None;

    /// <summary>A constant imputation needs a finite constant.</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (Imputation == MissingValueImputation.Constant && !double.IsFinite(ImputeConstant))
        {
            yield return new ValidationResult($"ImputeConstant must be finite for Constant imputation; got {ImputeConstant}.", [nameof(ImputeConstant)]);
        }
    }
}

/// <summary>Validates <see cref="NumericFeatureOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class NumericFeatureOptionsValidator : IValidateOptions<NumericFeatureOptions>;

/// <summary>Options of a categorical feature; validated (by <see cref="CategoricalFeatureOptionsValidator"/>, named by the feature) when the feature is declared.</summary>
public sealed class CategoricalFeatureOptions
{
    /// <summary>Gets or sets the encoding. Default <see cref="CategoricalEncoding.OneHot"/>.</summary>
    [EnumDataType(typeof(CategoricalEncoding))]
    public CategoricalEncoding Encoding { get; set; } = CategoricalEncoding.OneHot;

    /// <summary>Gets or sets the largest vocabulary a one-hot encoding learns (the most frequent categories win; ties by ordinal order). Default 100; at least 1.</summary>
    [Range(1, int.MaxValue)]
    public int MaxCategories { get; set; } = 100;

    /// <summary>Gets or sets how many times a category must occur in training to get its own slot. Default 1; at least 1.</summary>
    [Range(1, int.MaxValue)]
    public int MinFrequency { get; set; } = 1;

    /// <summary>Gets or sets the number of buckets of a hashed encoding. Default 64; at least 1.</summary>
    [Range(1, int.MaxValue)]
    public int HashBuckets { get; set; } = 64;
}

/// <summary>Validates <see cref="CategoricalFeatureOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class CategoricalFeatureOptionsValidator : IValidateOptions<CategoricalFeatureOptions>;
