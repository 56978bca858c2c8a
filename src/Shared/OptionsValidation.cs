using Microsoft.Extensions.Options;

namespace MLSystemDesign;

/// <summary>
/// Validates options handed to a constructor or factory directly, with the same source-generated validator that
/// <c>ValidateOnStart</c> runs when the options come from DI: one set of rules, one exception type. Compiled into each
/// package that has options (a linked source file, so no package depends on another for it).
/// </summary>
internal static class OptionsValidation
{
    /// <summary>Returns the options when they are valid; otherwise throws.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <typeparam name="TValidator">Its <c>[OptionsValidator]</c>.</typeparam>
    /// <param name="options">The options.</param>
    /// <param name="name">The options' name (a model or feature name), shown in the message; none for unnamed options.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="OptionsValidationException">An option is out of its range; the message names each and its allowed range.</exception>
    public static TOptions ThrowIfInvalid<TOptions, TValidator>(TOptions options, string? name = null)
        where TOptions : class
        where TValidator : IValidateOptions<TOptions>, new()
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new TValidator().Validate(name ?? Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(name ?? Options.DefaultName, typeof(TOptions), result.Failures) : options;
    }
}
