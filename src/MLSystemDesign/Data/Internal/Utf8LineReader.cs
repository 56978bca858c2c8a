using System.Buffers;

namespace MLSystemDesign.Data.Internal;

/// <summary>Reads UTF-8 lines from a stream into a pooled buffer; a line is valid until the next call.</summary>
internal sealed class Utf8LineReader : IAsyncDisposable
{
    private const int MaxLineBytes = 64 << 20;
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _first = true;
    private long _consumed;

    public Utf8LineReader(Stream stream, int bufferSize = 1 << 16)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The byte offset in the stream where the line last returned starts.</summary>
    public long LineOffset { get; private set; }

    /// <summary>Returns the next line without its terminator, or null at the end of the stream.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanFrom = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom);
            if (newline >= 0)
            {
                return Take(newline, newline + 1);
            }

            if (_eof)
            {
                // The cast matters: a bare null would convert to an empty ReadOnlyMemory (via byte[]), not to "no line".
                return _start < _end ? Take(_end, _end) : (ReadOnlyMemory<byte>?)null;
            }

            scanFrom = _end;
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                scanFrom -= _start;
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= MaxLineBytes)
                {
                    throw new InvalidDataException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {LineNumber + 1} is longer than {MaxLineBytes:N0} bytes, the longest line allowed."));
                }

                var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }

    private ReadOnlyMemory<byte> Take(int lineEnd, int next)
    {
        var start = _start;
        var end = lineEnd > start && _buffer[lineEnd - 1] == (byte)'\r' ? lineEnd - 1 : lineEnd;
        if (_first)
        {
            _first = false;
            if (end - start >= 3 && _buffer[start] == 0xEF && _buffer[start + 1] == 0xBB && _buffer[start + 2] == 0xBF)
            {
                start += 3;
            }
        }

        LineOffset = _consumed + (start - _start);
        _consumed += next - _start;
        _start = next;
        LineNumber++;
        return _buffer.AsMemory(start, end - start);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
