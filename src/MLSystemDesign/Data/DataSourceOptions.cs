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

    /// <summary>Gets or sets how many lines at the start of the file are skipped before the header. Default 0.</summary>
    public int SkipLines { get; set; }
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
