using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Parquet;
using Parquet.Schema;

namespace MLSystemDesign.Tests.Data;

/// <summary>A record with every kind of field, including missing values, for cross-format round trips.</summary>
public sealed record Sample
{
    public long Id { get; init; }

    public double Value { get; init; }

    public string? Name { get; init; }

    public bool Flag { get; init; }

    public DateTime When { get; init; }

    public int? Count { get; init; }
}

/// <summary>Writes samples to each format independently of the SDK's readers (the test's own writers).</summary>
internal static class FormatWriters
{
    public static string Csv(string dir, IReadOnlyList<Sample> rows)
    {
        var path = System.IO.Path.Combine(dir, "samples.csv");
        var sb = new StringBuilder("Id,Value,Name,Flag,When,Count\n");
        foreach (var r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.Id},{(double.IsNaN(r.Value) ? string.Empty : r.Value.ToString("R", CultureInfo.InvariantCulture))},{Quote(r.Name)},{(r.Flag ? "true" : "false")},{r.When:O},{r.Count?.ToString(CultureInfo.InvariantCulture)}\n");
        }

        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
        return path;
    }

    private static string Quote(string? s) =>
        s is null ? string.Empty : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string JsonLines(string dir, IReadOnlyList<Sample> rows)
    {
        var path = System.IO.Path.Combine(dir, "samples.jsonl");
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        foreach (var r in rows)
        {
            writer.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["Id"] = r.Id,
                ["Value"] = double.IsNaN(r.Value) ? null : r.Value,
                ["Name"] = r.Name,
                ["Flag"] = r.Flag,
                ["When"] = r.When.ToString("O", CultureInfo.InvariantCulture),
                ["Count"] = r.Count,
            }));
        }

        return path;
    }

    public static async Task<string> ParquetAsync(string dir, IReadOnlyList<Sample> rows)
    {
        var path = System.IO.Path.Combine(dir, "samples.parquet");
        var schema = new ParquetSchema(
            new DataField<long>("Id"),
            new DataField<double?>("Value"),
            new DataField<string>("Name"),
            new DataField<bool>("Flag"),
            new DataField<DateTime>("When"),
            new DataField<int?>("Count"));
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(schema.DataFields[0], new ReadOnlyMemory<long>(rows.Select(r => r.Id).ToArray()));
        await group.WriteAsync(schema.DataFields[1], new ReadOnlyMemory<double?>(rows.Select(r => double.IsNaN(r.Value) ? (double?)null : r.Value).ToArray()));
        await group.WriteAsync(schema.DataFields[2], rows.Select(r => r.Name).ToArray());
        await group.WriteAsync(schema.DataFields[3], new ReadOnlyMemory<bool>(rows.Select(r => r.Flag).ToArray()));
        await group.WriteAsync(schema.DataFields[4], new ReadOnlyMemory<DateTime>(rows.Select(r => r.When).ToArray()));
        await group.WriteAsync(schema.DataFields[5], new ReadOnlyMemory<int?>(rows.Select(r => r.Count).ToArray()));
        return path;
    }

    public static string Sqlite(string dir, IReadOnlyList<Sample> rows)
    {
        var path = System.IO.Path.Combine(dir, "samples.db");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE samples (Id INTEGER, Value REAL, Name TEXT, Flag INTEGER, \"When\" TEXT, Count INTEGER)";
            create.ExecuteNonQuery();
        }

        using var tx = connection.BeginTransaction();
        foreach (var r in rows)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO samples VALUES ($id, $value, $name, $flag, $when, $count)";
            insert.Parameters.AddWithValue("$id", r.Id);
            insert.Parameters.AddWithValue("$value", double.IsNaN(r.Value) ? DBNull.Value : r.Value);
            insert.Parameters.AddWithValue("$name", (object?)r.Name ?? DBNull.Value);
            insert.Parameters.AddWithValue("$flag", r.Flag ? 1 : 0);
            insert.Parameters.AddWithValue("$when", r.When.ToString("O", CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$count", (object?)r.Count ?? DBNull.Value);
            insert.ExecuteNonQuery();
        }

        tx.Commit();
        return path;
    }
}

/// <summary>A temporary folder removed at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlsd-tests", Guid.NewGuid().ToString("N"));

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
