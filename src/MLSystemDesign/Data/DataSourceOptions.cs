using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace MLSystemDesign.Data;

/// <summary>Options every data source shares; validated (by <see cref="DataSourceOptionsValidator"/>) when a source is created with them.</summary>
public class DataSourceOptions
{
    /// <summary>Gets or sets what happens to a record that cannot be read. Default: <see cref="BadRecordPolicy.Fail"/>.</summary>
    [EnumDataType(typeof(BadRecordPolicy))]
    public BadRecordPolicy OnBadRecord { get; set; } = BadRecordPolicy.Fail;

    /// <summary>
    /// Gets or sets how many records are sampled to infer column kinds when reading <see cref="TabularRecord"/>
    /// from a format without types (CSV, JSON Lines). Default 1000; at least 1.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int SchemaInferenceRows { get; set; } = 1000;

    /// <summary>
    /// Gets or sets what a text reader (CSV, JSON Lines) does with bytes that are not valid UTF-8. Default
    /// <see cref="InvalidUtf8Handling.Replace"/>: each invalid sequence is decoded as U+FFFD and counted, with where it
    /// was, in the <see cref="DataReadReport"/>. Parquet and SQL sources decode text in their libraries and ignore it.
    /// </summary>
    [EnumDataType(typeof(InvalidUtf8Handling))]
    public InvalidUtf8Handling InvalidUtf8 { get; set; } = InvalidUtf8Handling.Replace;
}

/// <summary>Validates the <see cref="DataSourceOptions"/> every source shares (generated from their data annotations).</summary>
[OptionsValidator]
internal sealed partial class DataSourceOptionsValidator : IValidateOptions<DataSourceOptions>;

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

    /// <summary>Gets or sets how many lines at the start of the file are skipped before the header. Default 0; not negative.</summary>
    [Range(0, int.MaxValue)]
    public int SkipLines { get; set; }

    /// <summary>
    /// Gets or sets the longest record (the header included) in characters. A longer one is refused, naming its line,
    /// instead of being buffered without bound. Default 1,048,576 (1 Mi characters, e.g. 100,000 columns of 9-character
    /// names); from 1,024 to 1,073,741,824.
    /// </summary>
    [Range(1024, 1 << 30)]
    public int MaxRecordLength { get; set; } = 1 << 20;
}

/// <summary>Validates a <see cref="CsvSourceOptions"/>: the options every source shares and the CSV ones (generated from their data annotations).</summary>
[OptionsValidator]
internal sealed partial class CsvSourceOptionsValidator : IValidateOptions<CsvSourceOptions>;

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
