using System.Linq.Expressions;
using System.Reflection;
using MLSystemDesign.Data;

namespace MLSystemDesign.Expectations;

/// <summary>Declares the rules of a typed record's fields with property lambdas.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <example>
/// <code>
/// var suite = Expect.For&lt;Flight&gt;()
///     .Field(f =&gt; f.Distance, e =&gt; e.Required().Between(1, 6000))
///     .Field(f =&gt; f.Origin, e =&gt; e.MaxMissingRate(0.01))
///     .Build("flights");
/// </code>
/// </example>
public sealed class ExpectationBuilder<T>
{
    private readonly ExpectationSuite _suite = new();
    private readonly RecordMap<T> _map;

    internal ExpectationBuilder(RecordMap<T>? map) => _map = map ?? RecordMap<T>.ByConvention();

    /// <summary>Adds rules for a property (by the column name it maps to).</summary>
    /// <typeparam name="TField">The property type.</typeparam>
    /// <param name="property">The property.</param>
    /// <param name="configure">Declares the rules.</param>
    /// <returns>This builder.</returns>
    public ExpectationBuilder<T> Field<TField>(Expression<Func<T, TField>> property, Action<FieldExpectationBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(property);
        ArgumentNullException.ThrowIfNull(configure);
        var body = property.Body is UnaryExpression { NodeType: ExpressionType.Convert } c ? c.Operand : property.Body;
        var name = body is MemberExpression { Member: PropertyInfo p }
            ? _map.Members.FirstOrDefault(m => m.Property.Name == p.Name)?.Column
              ?? throw new ArgumentException($"Property '{p.Name}' is not mapped.", nameof(property))
            : throw new ArgumentException($"'{property}' is not a property access.", nameof(property));
        configure(new FieldExpectationBuilder(_suite.For(name)));
        return this;
    }

    /// <summary>Returns the suite.</summary>
    /// <param name="name">The suite's name.</param>
    /// <returns>The suite.</returns>
    public ExpectationSuite Build(string? name = null)
    {
        _suite.Name = name ?? typeof(T).Name;
        return _suite;
    }
}

/// <summary>Declares the rules of one field.</summary>
public sealed class FieldExpectationBuilder
{
    private readonly FieldExpectation _e;

    internal FieldExpectationBuilder(FieldExpectation expectation) => _e = expectation;

    /// <summary>Every record must have a value.</summary>
    /// <returns>This builder.</returns>
    public FieldExpectationBuilder Required()
    {
        _e.Required = true;
        return this;
    }

    /// <summary>At most this share of records may miss the value.</summary>
    /// <param name="rate">A share in [0, 1].</param>
    /// <returns>This builder.</returns>
    public FieldExpectationBuilder MaxMissingRate(double rate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1);
        _e.MaxMissingRate = rate;
        return this;
    }

    /// <summary>Every value must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="min">The inclusive minimum.</param>
    /// <param name="max">The inclusive maximum.</param>
    /// <returns>This builder.</returns>
    public FieldExpectationBuilder Between(double min, double max)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(min, max);
        _e.Min = min;
        _e.Max = max;
        return this;
    }

    /// <summary>Every value must be one of these categories.</summary>
    /// <param name="categories">The allowed values.</param>
    /// <returns>This builder.</returns>
    public FieldExpectationBuilder OneOf(params IEnumerable<string> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        _e.AllowedCategories = categories.ToList();
        return this;
    }

    /// <summary>Every present value must be distinct.</summary>
    /// <returns>This builder.</returns>
    public FieldExpectationBuilder Unique()
    {
        _e.Unique = true;
        return this;
    }

    /// <summary>Every present value must be of this kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>This builder.</returns>
    public FieldExpectationBuilder OfKind(FieldKind kind)
    {
        _e.Kind = kind;
        return this;
    }
}

/// <summary>Starts expectation suites.</summary>
public static class Expect
{
    /// <summary>Starts a suite for a typed record.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="map">The record map whose column names the rules use; the conventional map when omitted.</param>
    /// <returns>The builder.</returns>
    public static ExpectationBuilder<T> For<T>(RecordMap<T>? map = null) => new(map);
}
