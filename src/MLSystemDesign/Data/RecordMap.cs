using System.ComponentModel.DataAnnotations.Schema;
using System.Linq.Expressions;
using System.Reflection;

namespace MLSystemDesign.Data;

/// <summary>
/// How the members of <typeparamref name="T"/> map to source columns. By convention every public property of a
/// supported type that can be set (by a setter, an init accessor or a constructor parameter) maps to the column of the
/// same name (case-insensitive); computed properties are left out, <see cref="ColumnAttribute"/> renames a column and
/// <see cref="NotMappedAttribute"/> leaves a property out. Explicit calls override the conventions.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
/// <remarks>
/// Supported member types: <see cref="double"/>, <see cref="float"/>, <see cref="decimal"/>, <see cref="long"/>,
/// <see cref="int"/>, <see cref="short"/>, <see cref="byte"/>, <see cref="bool"/>, <see cref="string"/>,
/// <see cref="DateTime"/>, <see cref="DateTimeOffset"/>, <see cref="DateOnly"/>, enums, and their nullable forms.
/// A missing value becomes <see langword="null"/> for nullable members and NaN for <see cref="double"/> and
/// <see cref="float"/>; for any other member it is a bad record.
/// </remarks>
public sealed class RecordMap<T>
{
    private readonly List<MappedMember> _members;

    private RecordMap(List<MappedMember> members) => _members = members;

    /// <summary>Gets the mapped members in declaration order.</summary>
    internal IReadOnlyList<MappedMember> Members => _members;

    /// <summary>Creates the conventional map of <typeparamref name="T"/>.</summary>
    /// <returns>The map; further calls refine it.</returns>
    /// <exception cref="DataSchemaException">A public property has a type that cannot be mapped and is not marked <see cref="NotMappedAttribute"/>.</exception>
    public static RecordMap<T> ByConvention()
    {
        var members = new List<MappedMember>();
        var nullability = new NullabilityInfoContext();
        var constructorParameters = typeof(T).GetConstructors()
            .SelectMany(c => c.GetParameters())
            .Select(p => p.Name)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null || property.IsDefined(typeof(NotMappedAttribute)))
            {
                continue;
            }

            // A computed property (no setter, no constructor parameter) is derived from the others, not read.
            if (property.SetMethod is null && !constructorParameters.Contains(property.Name))
            {
                continue;
            }

            if (!MappedMember.IsSupported(property.PropertyType))
            {
                throw new DataSchemaException(
                    typeof(T).Name,
                    $"property '{property.Name}' has type {property.PropertyType.Name}, which cannot be read from a column; mark it [NotMapped] or change its type.");
            }

            var column = property.GetCustomAttribute<ColumnAttribute>()?.Name ?? property.Name;
            var isNullable = Nullable.GetUnderlyingType(property.PropertyType) is not null
                || (!property.PropertyType.IsValueType && nullability.Create(property).ReadState != NullabilityState.NotNull);
            members.Add(new MappedMember(property, column, isNullable, Optional: false));
        }

        return new RecordMap<T>(members);
    }

    /// <summary>Maps a property to a column of another name.</summary>
    /// <typeparam name="TField">The property type.</typeparam>
    /// <param name="property">The property, e.g. <c>f =&gt; f.Delay</c>.</param>
    /// <param name="column">The column name.</param>
    /// <returns>This map.</returns>
    public RecordMap<T> Column<TField>(Expression<Func<T, TField>> property, string column)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        var index = IndexOf(property);
        _members[index] = _members[index] with { Column = column };
        return this;
    }

    /// <summary>Leaves a property out of the map.</summary>
    /// <typeparam name="TField">The property type.</typeparam>
    /// <param name="property">The property.</param>
    /// <returns>This map.</returns>
    public RecordMap<T> Ignore<TField>(Expression<Func<T, TField>> property)
    {
        _members.RemoveAt(IndexOf(property));
        return this;
    }

    /// <summary>Lets the column of a property be absent from the source; the property then keeps its default value.</summary>
    /// <typeparam name="TField">The property type.</typeparam>
    /// <param name="property">The property.</param>
    /// <returns>This map.</returns>
    public RecordMap<T> Optional<TField>(Expression<Func<T, TField>> property)
    {
        var index = IndexOf(property);
        _members[index] = _members[index] with { Optional = true };
        return this;
    }

    /// <summary>Gets the record schema this map produces.</summary>
    /// <returns>The schema.</returns>
    public RecordSchema ToSchema() =>
        new(_members.Select(m => new RecordField(m.Column, m.Kind, m.IsNullable)));

    private int IndexOf<TField>(Expression<Func<T, TField>> property)
    {
        ArgumentNullException.ThrowIfNull(property);
        var body = property.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : property.Body;
        if (body is not MemberExpression { Member: PropertyInfo info } || body is MemberExpression { Expression: not ParameterExpression })
        {
            throw new ArgumentException($"'{property}' is not a property of {typeof(T).Name}; use the form r => r.Property.", nameof(property));
        }

        var index = _members.FindIndex(m => m.Property.Name == info.Name);
        return index >= 0
            ? index
            : throw new ArgumentException($"Property '{info.Name}' of {typeof(T).Name} is not mapped (it is ignored, [NotMapped], or of an unsupported type).", nameof(property));
    }
}

/// <summary>Creates record maps.</summary>
public static class RecordMap
{
    /// <summary>Creates the conventional map of <typeparamref name="T"/>; chain calls to refine it.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <returns>The map.</returns>
    public static RecordMap<T> For<T>() => RecordMap<T>.ByConvention();
}

/// <summary>One mapped member.</summary>
internal sealed record MappedMember(PropertyInfo Property, string Column, bool IsNullable, bool Optional)
{
    private static readonly HashSet<Type> Numeric =
        [typeof(double), typeof(float), typeof(decimal), typeof(long), typeof(int), typeof(short), typeof(byte)];

    public Type Type => Property.PropertyType;

    public Type UnderlyingType => Nullable.GetUnderlyingType(Type) ?? Type;

    public FieldKind Kind => KindOf(UnderlyingType);

    public static bool IsSupported(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return Numeric.Contains(t) || t == typeof(bool) || t == typeof(string) || t == typeof(DateTime)
            || t == typeof(DateTimeOffset) || t == typeof(DateOnly) || t.IsEnum;
    }

    public static FieldKind KindOf(Type t) =>
        Numeric.Contains(t) ? FieldKind.Numeric
        : t == typeof(bool) ? FieldKind.Boolean
        : t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(DateOnly) ? FieldKind.Timestamp
        : FieldKind.Text;
}
