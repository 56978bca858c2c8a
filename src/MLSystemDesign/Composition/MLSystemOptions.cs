using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MLSystemDesign;

/// <summary>Options of the ML system; validated when the host starts.</summary>
public sealed class MLSystemOptions
{
    /// <summary>Gets or sets the seed trainers use when none is given. Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets how many offending records each validation rule keeps. Default 5; 0 to 1000.</summary>
    [Range(0, 1000)]
    public int MaxValidationExamples { get; set; } = 5;
}

/// <summary>Validates <see cref="MLSystemOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class MLSystemOptionsValidator : IValidateOptions<MLSystemOptions>;
