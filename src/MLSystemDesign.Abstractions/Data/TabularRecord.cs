namespace MLSystemDesign.Data;

/// <summary>
/// A record whose shape is known only at run time: the values of one row of a file whose columns were discovered
/// when it was opened. Read any source as <c>IDataSource&lt;TabularRecord&gt;</c> to get every column.
/// </summary>
public sealed class TabularRecord
{
    private readonly FieldValue[] _values;

    /// <summary>Creates a record over its values.</summary>
    /// <param name="schema">The columns.</param>
    /// <param name="values">One value per column, in schema order; the record keeps this array.</param>
    /// <exception cref="ArgumentException">The value count differs from the column count.</exception>
    public TabularRecord(RecordSchema schema, FieldValue[] values)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != schema.Count)
        {
            throw new ArgumentException($"The record has {values.Length} values but the schema has {schema.Count} columns.", nameof(values));
        }

        Schema = schema;
        _values = values;
    }

    /// <summary>Gets the columns.</summary>
    public RecordSchema Schema { get; }

    /// <summary>Gets the 1-based number of the record in its source (the header is not counted), or 0 when it is not known.</summary>
    public long RecordNumber { get; init; }

    /// <summary>Gets the 1-based line the record starts on, for line-oriented formats (CSV, JSON Lines); otherwise <see langword="null"/>.</summary>
    public long? LineNumber { get; init; }

    /// <summary>Gets the value at a column ordinal.</summary>
    /// <param name="ordinal">The ordinal.</param>
    public FieldValue this[int ordinal] => _values[ordinal];

    /// <summary>Gets the value of a column by name.</summary>
    /// <param name="name">The column name (case-insensitive).</param>
    /// <exception cref="KeyNotFoundException">There is no such column.</exception>
    public FieldValue this[string name]
    {
        get
        {
            var i = Schema.IndexOf(name);
            return i >= 0 ? _values[i] : throw new KeyNotFoundException($"The record has no column '{name}'. Columns: {Schema}.");
        }
    }

    /// <summary>Gets the values in schema order.</summary>
    public ReadOnlySpan<FieldValue> Values => _values;
}
