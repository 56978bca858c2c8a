using MLSystemDesign.Data;

namespace MLSystemDesign.Expectations;

/// <summary>
/// The rules a data set must satisfy, field by field. Serializable as JSON (camelCase) so that a suite can be
/// stored beside a model, reviewed, and passed to <c>mlsd validate --expectations</c>.
/// </summary>
public sealed class ExpectationSuite
{
    /// <summary>Gets or sets a name for the suite, for reports.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the per-field rules.</summary>
    public IList<FieldExpectation> Fields { get; set; } = [];

    /// <summary>Gets the rules of a field, creating an empty entry when there is none.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>The rules of that field.</returns>
    public FieldExpectation For(string field)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        foreach (var f in Fields)
        {
            if (string.Equals(f.Field, field, StringComparison.OrdinalIgnoreCase))
            {
                return f;
            }
        }

        var created = new FieldExpectation { Field = field };
        Fields.Add(created);
        return created;
    }
}

/// <summary>
/// The rules for one field. Every rule is optional; a rule left <see langword="null"/> (or <see langword="false"/>) is not checked.
/// </summary>
public sealed class FieldExpectation
{
    /// <summary>Gets or sets the field (column) name.</summary>
    public string Field { get; set; } = string.Empty;

    /// <summary>Gets or sets the kind every present value must have.</summary>
    public FieldKind? Kind { get; set; }

    /// <summary>Gets or sets whether every record must have a value (no missing values at all).</summary>
    public bool Required { get; set; }

    /// <summary>Gets or sets the largest share of missing values allowed, in [0, 1].</summary>
    public double? MaxMissingRate { get; set; }

    /// <summary>Gets or sets the smallest allowed numeric value (inclusive).</summary>
    public double? Min { get; set; }

    /// <summary>Gets or sets the largest allowed numeric value (inclusive).</summary>
    public double? Max { get; set; }

    /// <summary>Gets or sets the allowed categories (ordinal comparison); any other present value is a violation.</summary>
    public IList<string>? AllowedCategories { get; set; }

    /// <summary>Gets or sets whether every present value must be distinct.</summary>
    public bool Unique { get; set; }
}
