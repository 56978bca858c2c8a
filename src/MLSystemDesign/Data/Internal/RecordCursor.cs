using System.Globalization;

namespace MLSystemDesign.Data.Internal;

/// <summary>
/// A forward-only view of the current row of a source, with typed getters. Each source format implements one;
/// the compiled <see cref="RecordBinder{T}"/> reads records through it. Getters throw <see cref="FormatException"/>,
/// <see cref="InvalidCastException"/> or <see cref="OverflowException"/> for values that do not convert; the read loop
/// turns those into a <see cref="BadRecord"/> naming the record, the column (<see cref="CurrentOrdinal"/>) and the value.
/// </summary>
internal abstract class RecordCursor : IAsyncDisposable
{
    /// <summary>The ordinal being read; set by the binder before each getter so errors can name the column.</summary>
    public int CurrentOrdinal { get; set; } = -1;

    /// <summary>The report of the read, when the caller gave one; text cursors count the invalid UTF-8 they replace in it.</summary>
    public DataReadReport? Report { get; set; }

    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>The 1-based number of the current data record.</summary>
    public abstract long RecordNumber { get; }

    /// <summary>The 1-based line of the current record, for line-oriented formats.</summary>
    public virtual long? LineNumber => null;

    public abstract ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Why the current row is malformed as a whole (e.g. wrong field count), or null when it is well-formed.</summary>
    public virtual string? MalformedReason => null;

    public abstract bool IsMissing(int ordinal);

    public abstract string GetString(int ordinal);

    public abstract double GetDouble(int ordinal);

    public abstract long GetInt64(int ordinal);

    public abstract bool GetBoolean(int ordinal);

    public abstract DateTime GetDateTime(int ordinal);

    public virtual decimal GetDecimal(int ordinal) => checked((decimal)GetDouble(ordinal));

    public virtual DateTimeOffset GetDateTimeOffset(int ordinal)
    {
        var dt = GetDateTime(ordinal);
        return dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt);
    }

    /// <summary>The raw text of a value, for error messages.</summary>
    public abstract string? GetRawText(int ordinal);

    /// <summary>The kind a column has natively (Parquet, SQL) or was inferred to have (CSV, JSON Lines).</summary>
    public abstract FieldKind GetColumnKind(int ordinal);

    /// <summary>Reads a value as a <see cref="FieldValue"/> of the column's kind; a value that does not convert is kept as text.</summary>
    public virtual FieldValue GetFieldValue(int ordinal)
    {
        if (IsMissing(ordinal))
        {
            return FieldValue.Missing;
        }

        try
        {
            return GetColumnKind(ordinal) switch
            {
                FieldKind.Numeric => FieldValue.FromNumber(GetDouble(ordinal)),
                FieldKind.Boolean => FieldValue.FromBoolean(GetBoolean(ordinal)),
                FieldKind.Timestamp => FieldValue.FromTimestamp(GetDateTime(ordinal)),
                _ => FieldValue.FromText(GetString(ordinal)),
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            return FieldValue.FromText(GetRawText(ordinal));
        }
    }

    public abstract ValueTask DisposeAsync();

    // Helpers the binder calls.
    public int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));

    public short GetInt16(int ordinal) => checked((short)GetInt64(ordinal));

    public byte GetByte(int ordinal) => checked((byte)GetInt64(ordinal));

    public float GetSingle(int ordinal) => (float)GetDouble(ordinal);

    public DateOnly GetDateOnly(int ordinal) => DateOnly.FromDateTime(GetDateTime(ordinal));

    public TEnum GetEnum<TEnum>(int ordinal)
        where TEnum : struct, Enum
    {
        if (GetColumnKind(ordinal) == FieldKind.Numeric)
        {
            var number = GetInt64(ordinal);
            var value = (TEnum)Enum.ToObject(typeof(TEnum), number);
            return Enum.IsDefined(value) ? value : throw new FormatException($"{number} is not a value of {typeof(TEnum).Name}.");
        }

        var text = GetString(ordinal);
        return Enum.TryParse<TEnum>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new FormatException($"'{text}' is not a value of {typeof(TEnum).Name} ({string.Join(", ", Enum.GetNames<TEnum>())}).");
    }

    public static Exception MissingRequired(string member) =>
        new FormatException($"a value is required for '{member}' but the field is empty.");

    /// <summary>Parses text with the conventions every text-based format shares.</summary>
    internal static class Text
    {
        public static double ParseDouble(ReadOnlySpan<char> s, IFormatProvider culture) =>
            double.TryParse(s, NumberStyles.Float | NumberStyles.AllowThousands, culture, out var v)
                ? v
                : throw new FormatException($"'{Truncate(s)}' is not a number.");

        public static long ParseInt64(ReadOnlySpan<char> s, IFormatProvider culture)
        {
            if (long.TryParse(s, NumberStyles.Integer, culture, out var v))
            {
                return v;
            }

            // Accept integral values written as floating point (e.g. "12.0"), refuse fractions.
            if (double.TryParse(s, NumberStyles.Float, culture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18)
            {
                return (long)d;
            }

            throw new FormatException($"'{Truncate(s)}' is not an integer.");
        }

        public static bool ParseBoolean(ReadOnlySpan<char> s)
        {
            s = s.Trim();
            if (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("1", StringComparison.Ordinal) || s.Equals("yes", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (s.Equals("false", StringComparison.OrdinalIgnoreCase) || s.Equals("0", StringComparison.Ordinal) || s.Equals("no", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            throw new FormatException($"'{Truncate(s)}' is not a Boolean (true/false, 1/0, yes/no).");
        }

        public static DateTime ParseDateTime(ReadOnlySpan<char> s, IFormatProvider culture) =>
            DateTime.TryParse(s, culture, DateTimeStyles.RoundtripKind, out var v)
                ? v
                : throw new FormatException($"'{Truncate(s)}' is not a date/time.");

        public static DateTimeOffset ParseDateTimeOffset(ReadOnlySpan<char> s, IFormatProvider culture) =>
            DateTimeOffset.TryParse(s, culture, DateTimeStyles.AssumeUniversal, out var v)
                ? v
                : throw new FormatException($"'{Truncate(s)}' is not a date/time with offset.");

        public static decimal ParseDecimal(ReadOnlySpan<char> s, IFormatProvider culture) =>
            decimal.TryParse(s, NumberStyles.Float, culture, out var v)
                ? v
                : throw new FormatException($"'{Truncate(s)}' is not a decimal number.");

        public static string Truncate(ReadOnlySpan<char> s) => s.Length <= 200 ? s.ToString() : string.Concat(s[..200], "…");

        /// <summary>Infers a column kind from sample values: all numbers → numeric, all Booleans → Boolean, all timestamps → timestamp, else text.</summary>
        public static FieldKind Infer(IEnumerable<string> samples, IFormatProvider culture)
        {
            bool numeric = true, boolean = true, timestamp = true, any = false;
            foreach (var s in samples)
            {
                any = true;
                numeric &= double.TryParse(s, NumberStyles.Float, culture, out _);
                boolean &= IsBooleanText(s);
                timestamp &= !numeric && IsTimestampText(s, culture, out _);
                if (!numeric && !boolean && !timestamp)
                {
                    return FieldKind.Text;
                }
            }

            return !any ? FieldKind.Text : numeric ? FieldKind.Numeric : boolean ? FieldKind.Boolean : timestamp ? FieldKind.Timestamp : FieldKind.Text;
        }

        /// <summary>
        /// Reads one text value as <paramref name="kind"/> by the rule <see cref="Infer"/> applies to a whole column, so
        /// a value judged on its own gets the kind it would have had in a column of its own kind.
        /// </summary>
        public static bool TryRead(string s, FieldKind kind, IFormatProvider culture, out FieldValue value)
        {
            value = FieldValue.Missing;
            switch (kind)
            {
                case FieldKind.Numeric when double.TryParse(s, NumberStyles.Float, culture, out var number):
                    value = FieldValue.FromNumber(number);
                    return true;
                case FieldKind.Boolean when IsBooleanText(s):
                    value = FieldValue.FromBoolean(s.Equals("true", StringComparison.OrdinalIgnoreCase));
                    return true;
                case FieldKind.Timestamp when IsTimestampText(s, culture, out var time):
                    value = FieldValue.FromTimestamp(time);
                    return true;
                case FieldKind.Text:
                    value = FieldValue.FromText(s);
                    return true;
                default:
                    return false;
            }
        }

        private static bool IsBooleanText(string s) =>
            s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("false", StringComparison.OrdinalIgnoreCase);

        private static bool IsTimestampText(string s, IFormatProvider culture, out DateTime time)
        {
            time = default;
            return s.Length >= 8 && DateTime.TryParse(s, culture, DateTimeStyles.RoundtripKind, out time);
        }
    }
}
