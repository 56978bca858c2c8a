using System.Globalization;
using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace MLSystemDesign.Data.Internal;

/// <summary>
/// A cursor over a Parquet file (Parquet.Net): reads one row group at a time, only the columns the record maps,
/// into reusable typed buffers, then walks its rows. Memory is bounded by one row group. A row group's declared row
/// count is checked against each column chunk's value count and its byte range against the file before anything is
/// allocated, and every failure of the library (a corrupt footer, page or compressed block) becomes a
/// <see cref="DataSchemaException"/> or <see cref="DataRecordException"/> naming the file, row group and column.
/// </summary>
internal sealed class ParquetCursor : RecordCursor
{
    private readonly Stream _stream;
    private readonly string _path;
    private readonly ParquetReader _reader;
    private readonly string[] _columns;
    private readonly ColumnBuffer?[] _buffers;
    private int _group = -1;
    private int _row;
    private int _rowsInGroup;
    private long _record;

    private ParquetCursor(Stream stream, string path, ParquetReader reader, string[] columns, ColumnBuffer?[] buffers)
    {
        _stream = stream;
        _path = path;
        _reader = reader;
        _columns = columns;
        _buffers = buffers;
    }

    public override IReadOnlyList<string> Columns => _columns;

    public override long RecordNumber => _record;

    /// <summary>Opens a cursor that loads only the mapped members' columns, or every column for tabular reads.</summary>
    public static CursorOpener Opener() => async (path, members, cancellationToken) =>
        await OpenAsync(path, members?.Select(m => m.Column).ToArray(), cancellationToken).ConfigureAwait(false);

    private static async ValueTask<ParquetCursor> OpenAsync(string path, IReadOnlyCollection<string>? wanted, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess | FileOptions.Asynchronous);
        try
        {
            var reader = await ParquetReader.CreateAsync(stream, new ParquetOptions(), leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
            var fields = reader.Schema.GetDataFields();
            var wantedSet = wanted is null ? null : new HashSet<string>(wanted, StringComparer.OrdinalIgnoreCase);
            var columns = fields.Select(f => f.Name).ToArray();
            var buffers = fields.Select(f => wantedSet is null || wantedSet.Contains(f.Name) ? ColumnBuffer.For(f, path) : null).ToArray();
            return new ParquetCursor(stream, path, reader, columns, buffers);
        }
        catch (DataSchemaException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new DataSchemaException(path, $"the file is not a readable Parquet file: {ex.Message}", ex);
        }
    }

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (_row + 1 >= _rowsInGroup)
        {
            if (_group + 1 >= _reader.RowGroupCount)
            {
                return false;
            }

            _group++;
            _rowsInGroup = 0;
            _row = -1;
            await LoadGroupAsync(cancellationToken).ConfigureAwait(false);
        }

        _row++;
        _record++;
        return true;
    }

    /// <summary>Checks what the row group declares, then reads its columns; any failure names the file, the group and the column.</summary>
    private async ValueTask LoadGroupAsync(CancellationToken cancellationToken)
    {
        var first = _record + 1;
        var where = string.Create(CultureInfo.InvariantCulture, $"row group {_group + 1} of {_reader.RowGroupCount}");
        string? column = null;
        try
        {
            using var group = _reader.OpenRowGroupReader(_group);
            var rows = group.RowCount;
            if (rows < 0 || rows > Array.MaxLength)
            {
                throw new DataRecordException(new BadRecord(_path, first, null, null, null, string.Create(CultureInfo.InvariantCulture, $"{where} declares {rows} rows, which cannot be read.")));
            }

            where = string.Create(CultureInfo.InvariantCulture, $"{where} (records {first:N0}–{first + rows - 1:N0})");
            foreach (var buffer in _buffers)
            {
                if (buffer is null)
                {
                    continue;
                }

                column = buffer.Field.Name;
                var chunk = group.GetMetadata(buffer.Field)?.MetaData
                    ?? throw new DataRecordException(new BadRecord(_path, first, null, column, null, $"{where} has no data for the column."));
                if (chunk.NumValues != rows)
                {
                    throw new DataRecordException(new BadRecord(_path, first, null, column, null, string.Create(CultureInfo.InvariantCulture, $"{where} declares {rows:N0} rows but the column holds {chunk.NumValues:N0} values.")));
                }

                var start = chunk.DictionaryPageOffset is > 0 and var d && d < chunk.DataPageOffset ? d : chunk.DataPageOffset;
                if (start < 4 || chunk.TotalCompressedSize < 0 || start + chunk.TotalCompressedSize > _stream.Length)
                {
                    throw new DataRecordException(new BadRecord(_path, first, null, column, null, string.Create(CultureInfo.InvariantCulture, $"{where}: the column's data is declared at bytes {start:N0}–{start + chunk.TotalCompressedSize:N0}, outside the {_stream.Length:N0}-byte file.")));
                }
            }

            foreach (var buffer in _buffers)
            {
                if (buffer is not null)
                {
                    column = buffer.Field.Name;
                    await buffer.LoadAsync(group, (int)rows, cancellationToken).ConfigureAwait(false);
                }
            }

            _rowsInGroup = (int)rows;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DataRecordException))
        {
            throw new DataRecordException(new BadRecord(_path, first, null, column, null, $"{where} cannot be read: {ex.Message}"), ex);
        }
    }

    private ColumnBuffer Buffer(int ordinal) =>
        _buffers[ordinal] ?? throw new InvalidOperationException($"Column '{_columns[ordinal]}' was not loaded.");

    public override bool IsMissing(int ordinal) => Buffer(ordinal).IsMissing(_row);

    public override string GetString(int ordinal) => Buffer(ordinal).GetString(_row);

    public override double GetDouble(int ordinal) => Buffer(ordinal).GetDouble(_row);

    public override long GetInt64(int ordinal) => Buffer(ordinal).GetInt64(_row);

    public override bool GetBoolean(int ordinal) => Buffer(ordinal).GetBoolean(_row);

    public override DateTime GetDateTime(int ordinal) => Buffer(ordinal).GetDateTime(_row);

    public override string? GetRawText(int ordinal) => Buffer(ordinal).GetRawText(_row);

    public override FieldKind GetColumnKind(int ordinal) => Buffer(ordinal).Kind;

    public override async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One column's values for the current row group.</summary>
    private abstract class ColumnBuffer
    {
        protected ColumnBuffer(DataField field) => Field = field;

        public DataField Field { get; }

        public abstract FieldKind Kind { get; }

        public static ColumnBuffer For(DataField field, string path)
        {
            var t = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
            if (field.IsArray)
            {
                throw new DataSchemaException(path, $"column '{field.Name}' is a list; only scalar columns can be read.");
            }

            return t switch
            {
                _ when t == typeof(string) || t == typeof(ReadOnlyMemory<char>) => new TextBuffer(field),
                _ when t == typeof(double) => new NumberBuffer<double>(field),
                _ when t == typeof(float) => new NumberBuffer<float>(field),
                _ when t == typeof(long) => new NumberBuffer<long>(field),
                _ when t == typeof(int) => new NumberBuffer<int>(field),
                _ when t == typeof(short) => new NumberBuffer<short>(field),
                _ when t == typeof(byte) => new NumberBuffer<byte>(field),
                _ when t == typeof(sbyte) => new NumberBuffer<sbyte>(field),
                _ when t == typeof(ushort) => new NumberBuffer<ushort>(field),
                _ when t == typeof(uint) => new NumberBuffer<uint>(field),
                _ when t == typeof(ulong) => new NumberBuffer<ulong>(field),
                _ when t == typeof(decimal) => new NumberBuffer<decimal>(field),
                _ when t == typeof(bool) => new BooleanBuffer(field),
                _ when t == typeof(DateTime) => new DateTimeBuffer(field),
                _ when t == typeof(DateOnly) => new DateOnlyBuffer(field),
                _ => throw new DataSchemaException(path, $"column '{field.Name}' has Parquet type {t.Name}, which cannot be read into a record."),
            };
        }

        public abstract ValueTask LoadAsync(ParquetRowGroupReader group, int rows, CancellationToken cancellationToken);

        public abstract bool IsMissing(int row);

        public virtual string GetString(int row) => throw Mismatch("text");

        public virtual double GetDouble(int row) => throw Mismatch("a number");

        public virtual long GetInt64(int row) => throw Mismatch("an integer");

        public virtual bool GetBoolean(int row) => throw Mismatch("a Boolean");

        public virtual DateTime GetDateTime(int row) => throw Mismatch("a date/time");

        public abstract string? GetRawText(int row);

        protected InvalidCastException Mismatch(string wanted) =>
            new($"column '{Field.Name}' holds {Kind.ToString().ToLowerInvariant()} values (Parquet {Field.ClrType.Name}), not {wanted}.");

        protected static T[] Ensure<T>(ref T[] buffer, int rows)
        {
            if (buffer.Length < rows)
            {
                buffer = new T[rows];
            }

            return buffer;
        }
    }

    /// <summary>A column of value-type cells, nullable or not as the file declares.</summary>
    private abstract class StructBuffer<T>(DataField field) : ColumnBuffer(field)
        where T : struct
    {
        private T?[] _nullable = [];
        private T[] _values = [];

        public override async ValueTask LoadAsync(ParquetRowGroupReader group, int rows, CancellationToken cancellationToken)
        {
            if (Field.IsNullable)
            {
                await group.ReadAsync(Field, Ensure(ref _nullable, rows).AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await group.ReadAsync(Field, Ensure(ref _values, rows).AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
            }
        }

        public override bool IsMissing(int row) => Field.IsNullable && !_nullable[row].HasValue;

        protected T Value(int row) => Field.IsNullable ? _nullable[row]!.Value : _values[row];

        public override string GetString(int row) => GetRawText(row)!;
    }

    private sealed class NumberBuffer<T>(DataField field) : StructBuffer<T>(field)
        where T : struct, INumberBase<T>
    {
        public override FieldKind Kind => FieldKind.Numeric;

        public override double GetDouble(int row) => double.CreateChecked(Value(row));

        public override long GetInt64(int row)
        {
            var v = Value(row);
            if (T.IsInteger(v))
            {
                return long.CreateChecked(v);
            }

            throw new FormatException($"expected an integer, found {GetRawText(row)}.");
        }

        public override string? GetRawText(int row) => IsMissing(row) ? null : Value(row).ToString(null, CultureInfo.InvariantCulture);
    }

    private sealed class TextBuffer(DataField field) : ColumnBuffer(field)
    {
        private readonly StringPool _pool = new();
        private string?[] _values = [];

        public override FieldKind Kind => FieldKind.Text;

        public override async ValueTask LoadAsync(ParquetRowGroupReader group, int rows, CancellationToken cancellationToken) =>
            await group.ReadAsync(Field, Ensure(ref _values, rows).AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);

        public override bool IsMissing(int row) => _values[row] is null;

        public override string GetString(int row) => _pool.Get(_values[row]!);

        public override double GetDouble(int row) => Text.ParseDouble(_values[row], CultureInfo.InvariantCulture);

        public override long GetInt64(int row) => Text.ParseInt64(_values[row], CultureInfo.InvariantCulture);

        public override bool GetBoolean(int row) => Text.ParseBoolean(_values[row]);

        public override DateTime GetDateTime(int row) => Text.ParseDateTime(_values[row], CultureInfo.InvariantCulture);

        public override string? GetRawText(int row) => _values[row] is { } s ? Text.Truncate(s) : null;
    }

    private sealed class BooleanBuffer(DataField field) : StructBuffer<bool>(field)
    {
        public override FieldKind Kind => FieldKind.Boolean;

        public override bool GetBoolean(int row) => Value(row);

        public override double GetDouble(int row) => Value(row) ? 1 : 0;

        public override long GetInt64(int row) => Value(row) ? 1 : 0;

        public override string? GetRawText(int row) => IsMissing(row) ? null : Value(row) ? "true" : "false";
    }

    private sealed class DateTimeBuffer(DataField field) : StructBuffer<DateTime>(field)
    {
        public override FieldKind Kind => FieldKind.Timestamp;

        // Parquet.Net marks timestamps Local without shifting them; they are stored instants, so mark them UTC,
        // which keeps every machine's reading identical whatever its time zone.
        public override DateTime GetDateTime(int row) => DateTime.SpecifyKind(Value(row), DateTimeKind.Utc);

        public override string? GetRawText(int row) => IsMissing(row) ? null : GetDateTime(row).ToString("O", CultureInfo.InvariantCulture);
    }

    private sealed class DateOnlyBuffer(DataField field) : StructBuffer<DateOnly>(field)
    {
        public override FieldKind Kind => FieldKind.Timestamp;

        public override DateTime GetDateTime(int row) => Value(row).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

        public override string? GetRawText(int row) => IsMissing(row) ? null : Value(row).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
