using System.Text;

namespace MLSystemDesign.Cli.Output;

/// <summary>
/// A writer that escapes what <see cref="TerminalText"/> calls unsafe on its way to the real output, so no command can
/// send a control sequence from its data to the terminal. Line breaks pass (a carriage return only as part of
/// <c>\r\n</c>); everything is forwarded at once, nothing is buffered but a trailing carriage return.
/// </summary>
internal sealed class TerminalSafeWriter(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    private readonly StringBuilder _chunk = new();
    private bool _pendingReturn;

    public override Encoding Encoding => inner.Encoding;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // TextWriter.NewLine accepts null (it means the default).
        set => inner.NewLine = base.NewLine = value;
#pragma warning restore CS8765
    }

    public override void Write(char value) => Write([value]);

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        _chunk.Clear();
        foreach (var c in buffer)
        {
            if (_pendingReturn)
            {
                _pendingReturn = false;
                if (c == '\n')
                {
                    _chunk.Append('\r');
                }
                else
                {
                    TerminalText.Append(_chunk, '\r');
                }
            }

            if (c == '\r')
            {
                _pendingReturn = true;
            }
            else
            {
                TerminalText.Append(_chunk, c);
            }
        }

        foreach (var part in _chunk.GetChunks())
        {
            inner.Write(part.Span);
        }
    }

    public override void WriteLine() => Write(CoreNewLine);

    public override void WriteLine(string? value)
    {
        Write(value);
        WriteLine();
    }

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync()
    {
        WriteLine();
        return Task.CompletedTask;
    }

    public override void Flush()
    {
        if (_pendingReturn)
        {
            _pendingReturn = false;
            inner.Write("\\x0D");
        }

        inner.Flush();
    }

    public override Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }
}
