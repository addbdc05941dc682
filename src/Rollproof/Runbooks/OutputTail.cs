using System.Text;

namespace Rollproof.Runbooks;

/// <summary>
/// The last lines a step's programs wrote, both streams in the order they came, within <see cref="MaxLines"/> lines
/// and <see cref="MaxBytes"/> characters: what a failure message shows of a command's output, whatever it wrote.
/// </summary>
internal sealed class OutputTail
{
    public const int MaxLines = 20;
    public const int MaxBytes = 4 << 10;

    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();
    private int _size;
    private long _dropped;

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            _size += line.Length + 1;
            while (_lines.Count > MaxLines || _size > MaxBytes && _lines.Count > 1)
            {
                _size -= _lines.Dequeue().Length + 1;
                _dropped++;
            }
        }
    }

    /// <summary>The lines kept, after a line counting those left out; empty when nothing was written.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            if (_lines.Count == 0)
                return "";
            var text = new StringBuilder();
            if (_dropped > 0)
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"[{_dropped} earlier line(s) left out]\n");
            return text.AppendJoin('\n', _lines).ToString();
        }
    }
}
