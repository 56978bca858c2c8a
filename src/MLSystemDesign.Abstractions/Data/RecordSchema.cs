using System.Collections.ObjectModel;

namespace MLSystemDesign.Data;

/// <summary>The kind of value a record field holds, as seen by validation and feature building.</summary>
public enum FieldKind
{
    /// <summary>A number: any integer or floating-point type.</summary>
    Numeric,

    /// <summary>Text: a category or free text.</summary>
    Text,

    /// <summary>A Boolean.</summary>
    Boolean,

    /// <summary>A point in time: <see cref="DateTime"/>, <see cref="DateTimeOffset"/> or <see cref="DateOnly"/>.</summary>
    Timestamp,
}

/// <summary>One field of a record schema.</summary>
/// <param name="Name">The field name (the column name it is read from).</param>
/// <param name="Kind">The kind of value it holds.</param>
/// <param name="IsNullable">Whether the field accepts a missing value.</param>
public sealed record RecordField(string Name, FieldKind Kind, bool IsNullable);

/// <summary>The ordered fields of a record type as a source maps them.</summary>
public sealed class RecordSchema : IEquatable<RecordSchema>
{
    private readonly Dictionary<string, int> _ordinals;

    /// <summary>Creates a schema from its fields.</summary>
    /// <param name="fields">The fields, in order. Names must be unique (case-insensitive).</param>
    /// <exception cref="ArgumentException">Two fields share a name.</exception>
    public RecordSchema(IEnumerable<RecordField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var list = fields.ToList();
        _ordinals = new Dictionary<string, int>(list.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < list.Count; i++)
        {
            if (!_ordinals.TryAdd(list[i].Name, i))
            {
                throw new ArgumentException($"The field name '{list[i].Name}' appears twice in the schema.", nameof(fields));
            }
        }

        Fields = new ReadOnlyCollection<RecordField>(list);
    }

    /// <summary>Gets the fields in order.</summary>
    public IReadOnlyList<RecordField> Fields { get; }

    /// <summary>Gets the number of fields.</summary>
    public int Count => Fields.Count;

    /// <summary>Gets the ordinal of a field by name (case-insensitive), or -1 when there is none.</summary>
    /// <param name="name">The field name.</param>
    /// <returns>The ordinal, or -1.</returns>
    public int IndexOf(string name) => _ordinals.TryGetValue(name, out var i) ? i : -1;

    /// <inheritdoc />
    public bool Equals(RecordSchema? other) =>
        other is not null && (ReferenceEquals(this, other) || Fields.SequenceEqual(other.Fields));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RecordSchema);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var f in Fields)
        {
            hash.Add(f);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(", ", Fields.Select(f => $"{f.Name}:{f.Kind}{(f.IsNullable ? "?" : string.Empty)}"));
}
