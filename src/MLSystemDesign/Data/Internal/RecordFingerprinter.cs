using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MLSystemDesign.Data.Internal;

/// <summary>
/// Computes <see cref="DatasetFingerprint"/>s. Canonical encoding (<c>mlsd-records-sha256-v1</c>): for every record,
/// for every field in schema order, one tag byte (0 missing, 1 number, 2 text, 3 Boolean, 4 timestamp) followed by the
/// payload: a number as its IEEE 754 bits (little-endian; -0 written as +0), text as a 4-byte length and its UTF-8
/// bytes, a Boolean as one byte, a timestamp as its 8-byte tick count. The schema hash covers the text
/// <c>name:kind;</c> for each field. The encoding depends on values only, so every format gives the same fingerprint.
/// </summary>
internal static class RecordFingerprinter
{
    public static DatasetFingerprint Compute<T>(IEnumerable<T> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var state = new State<T>();
        foreach (var record in records)
        {
            state.Add(record);
        }

        return state.Finish();
    }

    public static async ValueTask<DatasetFingerprint> ComputeAsync<T>(IAsyncEnumerable<T> records, CancellationToken cancellationToken)
    {
        var state = new State<T>();
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            state.Add(record);
        }

        return state.Finish();
    }

    private sealed class State<T>
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _buffer = new byte[1 << 16];
        private RecordAccessor<T>? _accessor;
        private int _used;
        private long _rows;

        public void Add(T record)
        {
            _accessor ??= RecordAccessor<T>.Create(record is TabularRecord t ? t.Schema : null);
            if (record is TabularRecord tr && !tr.Schema.Equals(_accessor.Schema))
            {
                throw new ArgumentException($"Record {_rows + 1} has columns ({tr.Schema}) that differ from the first record's ({_accessor.Schema}).", nameof(record));
            }

            for (var i = 0; i < _accessor.Count; i++)
            {
                Write(_accessor.Get(record, i));
            }

            _rows++;
        }

        private void Write(FieldValue value)
        {
            switch (value.Kind)
            {
                case FieldValueKind.Number:
                    Ensure(9);
                    _buffer[_used++] = 1;
                    var number = value.Number == 0 ? 0d : value.Number;
                    BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_used), BitConverter.DoubleToInt64Bits(number));
                    _used += 8;
                    break;
                case FieldValueKind.Text:
                    var text = value.Text!;
                    var bytes = Encoding.UTF8.GetByteCount(text);
                    Ensure(5);
                    _buffer[_used++] = 2;
                    BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_used), bytes);
                    _used += 4;
                    if (bytes <= _buffer.Length)
                    {
                        Ensure(bytes);
                        _used += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_used));
                    }
                    else
                    {
                        Flush();
                        _hash.AppendData(Encoding.UTF8.GetBytes(text));
                    }

                    break;
                case FieldValueKind.Boolean:
                    Ensure(2);
                    _buffer[_used++] = 3;
                    _buffer[_used++] = value.Boolean ? (byte)1 : (byte)0;
                    break;
                case FieldValueKind.Timestamp:
                    Ensure(9);
                    _buffer[_used++] = 4;
                    BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_used), value.Timestamp.Ticks);
                    _used += 8;
                    break;
                default:
                    Ensure(1);
                    _buffer[_used++] = 0;
                    break;
            }
        }

        private void Ensure(int bytes)
        {
            if (_used + bytes > _buffer.Length)
            {
                Flush();
            }
        }

        private void Flush()
        {
            _hash.AppendData(_buffer, 0, _used);
            _used = 0;
        }

        public DatasetFingerprint Finish()
        {
            Flush();
            var content = Convert.ToHexStringLower(_hash.GetHashAndReset());
            _hash.Dispose();
            var schema = _accessor?.Schema ?? (typeof(T) == typeof(TabularRecord) ? new RecordSchema([]) : RecordMap<T>.ByConvention().ToSchema());
            var schemaText = string.Concat(schema.Fields.Select(f => $"{f.Name}:{f.Kind};"));
            var schemaHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(schemaText)));
            return new DatasetFingerprint(schemaHash, _rows, content);
        }
    }
}
