using System.Text;

namespace Rollproof.Common;

/// <summary>
/// Cuts what a program writes, chunk by chunk as it arrives, into lines for whoever watches it live. A line longer
/// than <see cref="MaxLine"/> characters is passed on in pieces of that size, so a program that never writes a
/// newline costs no more memory than one that does. UTF-8 split between chunks is decoded whole.
/// </summary>
internal sealed class OutputLines(Action<string> onLine)
{
    public const int MaxLine = 1024;

    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private readonly StringBuilder _line = new();
    private char[] _chars = [];

    public void Append(byte[] buffer, int count)
    {
        var needed = _decoder.GetCharCount(buffer, 0, count);
        if (_chars.Length < needed)
            _chars = new char[needed];
        var decoded = _decoder.GetChars(buffer, 0, count, _chars, 0);
        foreach (var c in _chars.AsSpan(0, decoded))
        {
            if (c == '\n')
                Flush();
            else if (c != '\r')
            {
                _line.Append(c);
                if (_line.Length >= MaxLine)
                    Flush();
            }
        }
    }

    /// <summary>Passes on the last line, written without a newline before the stream ended.</summary>
    public void End()
    {
        if (_line.Length > 0)
            Flush();
    }

    private void Flush()
    {
        onLine(_line.ToString());
        _line.Clear();
    }
}
