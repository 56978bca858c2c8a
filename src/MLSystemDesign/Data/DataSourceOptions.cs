using System.Globalization;

namespace MLSystemDesign.Data;

/// <summary>Options every data source shares.</summary>
public class DataSourceOptions
{
    /// <summary>Gets or sets what happens to a record that cannot be read. Default: <see cref="BadRecordPolicy.Fail"/>.</summary>
    public BadRecordPolicy OnBadRecord { get; set; } = BadRecordPolicy.Fail;

    /// <summary>
    /// Gets or sets how many records are sampled to infer column kinds when reading <see cref="TabularRecord"/>
    /// from a format without types (CSV, JSON Lines). Default 1000.
    /// </summary>
    public int SchemaInferenceRows { get; set; } = 1000;

    /// <summary>
    /// Gets or sets what a text reader (CSV, JSON Lines) does with bytes that are not valid UTF-8. Default
    /// <see cref="InvalidUtf8Handling.Replace"/>: each invalid sequence is decoded as U+FFFD and counted, with where it
    /// was, in the <see cref="DataReadReport"/>. Parquet and SQL sources decode text in their libraries and ignore it.
    /// </summary>
    public InvalidUtf8Handling InvalidUtf8 { get; set; } = InvalidUtf8Handling.Replace;

    internal virtual void Validate()
    {
        if (!Enum.IsDefined(InvalidUtf8))
        {
            throw new ArgumentOutOfRangeException(nameof(InvalidUtf8), InvalidUtf8, "Unknown invalid-UTF-8 handling.");
        }

        if (!Enum.IsDefined(OnBadRecord))
        {
            throw new ArgumentOutOfRangeException(nameof(OnBadRecord), OnBadRecord, "Unknown bad-record policy.");
        }

        if (SchemaInferenceRows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SchemaInferenceRows), SchemaInferenceRows, "At least one row must be sampled.");
        }
    }
}

/// <summary>Options of a CSV source.</summary>
public sealed class CsvSourceOptions : DataSourceOptions
{
    /// <summary>Gets or sets the field delimiter. Default <c>,</c>.</summary>
    public char Delimiter { get; set; } = ',';

    /// <summary>Gets or sets whether the first line names the columns. Default <see langword="true"/>.</summary>
    public bool HasHeader { get; set; } = true;

    /// <summary>Gets or sets the column names when the file has no header. When empty and there is no header, columns are named <c>f0 … f{n-1}</c>.</summary>
    public IReadOnlyList<string> ColumnNames { get; set; } = [];

    /// <summary>Gets or sets the culture numbers and dates are parsed with. Default: invariant.</summary>
    public CultureInfo Culture { get; set; } = CultureInfo.InvariantCulture;

    /// <summary>Gets or sets the field texts that mean "missing". Default: the empty field only.</summary>
    public IReadOnlyCollection<string> MissingValues { get; set; } = [string.Empty];

    /// <summary>Gets or sets how many lines at the start of the file are skipped before the header. Default 0.</summary>
    public int SkipLines { get; set; }

    /// <summary>
    /// Gets or sets the longest record (the header included) in characters. A longer one is refused, naming its line,
    /// instead of being buffered without bound. Default 1,048,576 (1 Mi characters, e.g. 100,000 columns of 9-character
    /// names); from 1,024 to 1,073,741,824.
    /// </summary>
    public int MaxRecordLength { get; set; } = 1 << 20;

    internal override void Validate()
    {
        base.Validate();
        if (MaxRecordLength is < 1024 or > 1 << 30)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRecordLength), MaxRecordLength, "The longest record must lie between 1,024 and 1,073,741,824 characters.");
        }

        if (SkipLines < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SkipLines), SkipLines, "The number of lines to skip cannot be negative.");
        }
    }
}

/// <summary>What a text reader does with bytes that are not valid UTF-8.</summary>
public enum InvalidUtf8Handling
{
    /// <summary>
    /// Decode each invalid sequence as U+FFFD and count it, with its line and byte offset, in the
    /// <see cref="DataReadReport"/> of the read (<see cref="DataReadReport.InvalidUtf8Replaced"/>). A read without a
    /// report has nowhere to count them and treats the record as under <see cref="Refuse"/>. The default.
    /// </summary>
    Replace,

    /// <summary>
    /// The record holding an invalid sequence is a bad record naming its line and byte offset: the read fails, or the
    /// record is skipped and counted under <see cref="BadRecordPolicy.Skip"/>.
    /// </summary>
    Refuse,
}

/// <summary>Options of a JSON Lines source (one JSON object per line).</summary>
public sealed class JsonLinesSourceOptions : DataSourceOptions
{
}

/// <summary>Options of a Parquet source.</summary>
public sealed class ParquetSourceOptions : DataSourceOptions
{
}

/// <summary>Options of a SQL source.</summary>
public sealed class SqlSourceOptions : DataSourceOptions
{
    /// <summary>Gets or sets the command timeout in seconds; <see langword="null"/> keeps the provider's default.</summary>
    public int? CommandTimeoutSeconds { get; set; }
}
