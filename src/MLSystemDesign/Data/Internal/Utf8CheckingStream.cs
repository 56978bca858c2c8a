using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace MLSystemDesign.Data.Internal;

/// <summary>An invalid UTF-8 sequence in a file: its byte offset, the line it is on, and its bytes (up to four).</summary>
internal readonly record struct InvalidUtf8(long ByteOffset, long Line, uint Bytes, byte Length)
{
    /// <summary>The sequence's bytes in hexadecimal, e.g. <c>FF</c> or <c>E2 82</c>.</summary>
    public string Hex
    {
        get
        {
            Span<byte> bytes = stackalloc byte[4];
            for (var i = 0; i < Length; i++)
            {
                bytes[i] = (byte)(Bytes >> (8 * i));
            }

            return Convert.ToHexString(bytes[..Length]);
        }
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"invalid UTF-8 (byte{(Length == 1 ? string.Empty : "s")} {Hex}) at byte offset {ByteOffset}");

    public static InvalidUtf8 At(long offset, long line, ReadOnlySpan<byte> bytes)
    {
        uint packed = 0;
        var length = Math.Min(bytes.Length, 4);
        for (var i = 0; i < length; i++)
        {
            packed |= (uint)bytes[i] << (8 * i);
        }

        return new InvalidUtf8(offset, line, packed, (byte)length);
    }
}

/// <summary>
/// Passes a file's bytes through unchanged and notes every sequence that is not valid UTF-8, with its byte offset and
/// line, so that a text reader (whose decoder turns such bytes into U+FFFD without a word) can count or refuse them.
/// Valid stretches are checked with the vectorized <see cref="Utf8.IsValid(ReadOnlySpan{byte})"/>; a sequence cut by a
/// read boundary is held until the next read. A file that starts with a UTF-16 or UTF-32 byte-order mark is not UTF-8
/// and is not checked.
/// </summary>
internal sealed class Utf8CheckingStream : Stream
{
    private readonly Stream _inner;
    private readonly Queue<InvalidUtf8> _found = new();
    private byte[] _scan = [];
    private int _carry;
    private long _scanStart;
    private long _line = 1;
    private bool _started;
    private bool _disabled;
    private bool _ended;

    public Utf8CheckingStream(Stream inner) => _inner = inner;

    /// <summary>Gets how many invalid sequences were found and not yet taken.</summary>
    public int Pending => _found.Count;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => throw new NotSupportedException("The file is read front to back.");
    }

    /// <summary>Takes the first invalid sequence found on or before <paramref name="line"/>, if there is one.</summary>
    public bool TryTake(long line, out InvalidUtf8 found)
    {
        if (_found.TryPeek(out found) && found.Line <= line)
        {
            _found.Dequeue();
            return true;
        }

        return false;
    }

    /// <summary>Takes the first invalid sequence found anywhere, if there is one.</summary>
    public bool TryTake(out InvalidUtf8 found) => _found.TryDequeue(out found);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        Scan(buffer[..n], end: n == 0 && !buffer.IsEmpty);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Scan(buffer.Span[..n], end: n == 0 && !buffer.IsEmpty);
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("The file is read front to back.");

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            if (_scan.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_scan);
                _scan = [];
            }
        }

        base.Dispose(disposing);
    }

    private void Scan(ReadOnlySpan<byte> data, bool end)
    {
        if (!_started && !data.IsEmpty)
        {
            _started = true;
            _disabled = data.Length >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF) || (data.Length >= 4 && data[..4].SequenceEqual((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF])));
        }

        if (_disabled || _ended)
        {
            return;
        }

        if (data.IsEmpty)
        {
            if (end)
            {
                // What is held at the end of the file is a sequence that never completed.
                _ended = true;
                if (_carry > 0)
                {
                    SlowScan(_scan.AsSpan(0, _carry));
                    _carry = 0;
                }
            }

            return;
        }

        if (_scan.Length < _carry + data.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_carry + data.Length);
            _scan.AsSpan(0, _carry).CopyTo(larger);
            if (_scan.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_scan);
            }

            _scan = larger;
        }

        data.CopyTo(_scan.AsSpan(_carry));
        var span = _scan.AsSpan(0, _carry + data.Length);
        var complete = CompleteLength(span);
        var body = span[..complete];
        if (Utf8.IsValid(body))
        {
            _line += body.Count((byte)'\n');
            _scanStart += complete;
        }
        else
        {
            SlowScan(body);
        }

        span[complete..].CopyTo(_scan);
        _carry = span.Length - complete;
    }

    /// <summary>Decodes rune by rune, noting each invalid sequence (as the decoder's U+FFFD replacement would see it).</summary>
    private void SlowScan(ReadOnlySpan<byte> body)
    {
        var offset = 0;
        while (offset < body.Length)
        {
            var status = Rune.DecodeFromUtf8(body[offset..], out _, out var consumed);
            if (status != OperationStatus.Done)
            {
                _found.Enqueue(InvalidUtf8.At(_scanStart + offset, _line, body.Slice(offset, consumed)));
            }
            else if (body[offset] == (byte)'\n')
            {
                _line++;
            }

            offset += Math.Max(1, consumed);
        }

        _scanStart += body.Length;
    }

    /// <summary>The length of <paramref name="span"/> without a trailing sequence that the next read may complete.</summary>
    private static int CompleteLength(ReadOnlySpan<byte> span)
    {
        for (var i = span.Length - 1; i >= Math.Max(0, span.Length - 3); i--)
        {
            var b = span[i];
            if (b < 0x80)
            {
                return span.Length;
            }

            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            return i + needed > span.Length ? i : span.Length;
        }

        return span.Length;
    }
}
