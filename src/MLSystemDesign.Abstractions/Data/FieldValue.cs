using System.Globalization;

namespace MLSystemDesign.Data;

/// <summary>
/// One field value of a record in a form every validator and profiler understands: missing, a number, text,
/// a Boolean or a timestamp. A small struct; creating one never allocates.
/// </summary>
public readonly struct FieldValue : IEquatable<FieldValue>
{
    private readonly long _bits;
    private readonly string? _text;

    private FieldValue(FieldValueKind kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
    }

    /// <summary>Gets the missing value.</summary>
    public static FieldValue Missing => default;

    /// <summary>Gets the kind of value held.</summary>
    public FieldValueKind Kind { get; }

    /// <summary>Gets whether the value is missing.</summary>
    public bool IsMissing => Kind == FieldValueKind.Missing;

    /// <summary>Gets the number held, or NaN when the value is not a number.</summary>
    public double Number => Kind == FieldValueKind.Number ? BitConverter.Int64BitsToDouble(_bits) : double.NaN;

    /// <summary>Gets the text held, or <see langword="null"/> when the value is not text.</summary>
    public string? Text => Kind == FieldValueKind.Text ? _text : null;

    /// <summary>Gets the Boolean held; <see langword="false"/> when the value is not a Boolean.</summary>
    public bool Boolean => Kind == FieldValueKind.Boolean && _bits != 0;

    /// <summary>Gets the timestamp held; <see cref="DateTime.MinValue"/> when the value is not a timestamp.</summary>
    public DateTime Timestamp => Kind == FieldValueKind.Timestamp ? new DateTime(_bits, DateTimeKind.Unspecified) : DateTime.MinValue;

    /// <summary>Creates a number. NaN is stored as missing.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The value.</returns>
    public static FieldValue FromNumber(double value) =>
        double.IsNaN(value) ? Missing : new FieldValue(FieldValueKind.Number, BitConverter.DoubleToInt64Bits(value), null);

    /// <summary>Creates a text value; <see langword="null"/> is stored as missing.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The value.</returns>
    public static FieldValue FromText(string? value) =>
        value is null ? Missing : new FieldValue(FieldValueKind.Text, 0, value);

    /// <summary>Creates a Boolean.</summary>
    /// <param name="value">The Boolean.</param>
    /// <returns>The value.</returns>
    public static FieldValue FromBoolean(bool value) => new(FieldValueKind.Boolean, value ? 1 : 0, null);

    /// <summary>Creates a timestamp (its <see cref="DateTime.Kind"/> is not kept).</summary>
    /// <param name="value">The timestamp.</param>
    /// <returns>The value.</returns>
    public static FieldValue FromTimestamp(DateTime value) => new(FieldValueKind.Timestamp, value.Ticks, null);

    /// <summary>Gets the value as a number for numeric use: numbers as they are, Booleans as 0/1, timestamps as ticks; otherwise NaN.</summary>
    /// <returns>The number or NaN.</returns>
    public double AsDouble() => Kind switch
    {
        FieldValueKind.Number => BitConverter.Int64BitsToDouble(_bits),
        FieldValueKind.Boolean => _bits,
        FieldValueKind.Timestamp => _bits,
        _ => double.NaN,
    };

    /// <inheritdoc />
    public bool Equals(FieldValue other) =>
        Kind == other.Kind && _bits == other._bits && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _text);

    /// <summary>Compares two values for equality.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(FieldValue left, FieldValue right) => left.Equals(right);

    /// <summary>Compares two values for inequality.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(FieldValue left, FieldValue right) => !left.Equals(right);

    /// <summary>Formats the value invariantly: numbers round-trip, timestamps in ISO 8601, missing as an empty string.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Kind switch
    {
        FieldValueKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
        FieldValueKind.Text => _text!,
        FieldValueKind.Boolean => Boolean ? "true" : "false",
        FieldValueKind.Timestamp => Timestamp.ToString("O", CultureInfo.InvariantCulture),
        _ => string.Empty,
    };
}

/// <summary>The kind of a <see cref="FieldValue"/>.</summary>
public enum FieldValueKind : byte
{
    /// <summary>No value.</summary>
    Missing,

    /// <summary>A number.</summary>
    Number,

    /// <summary>Text.</summary>
    Text,

    /// <summary>A Boolean.</summary>
    Boolean,

    /// <summary>A timestamp.</summary>
    Timestamp,
}
