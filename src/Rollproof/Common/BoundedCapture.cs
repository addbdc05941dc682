using System.Text;

namespace Rollproof.Common;

/// <summary>
/// What a program writes to one stream, kept within a bound: the first and the last half of the bound are kept, and
/// what falls between is only counted, so a program that writes gigabytes costs a few kilobytes, and both how it began
/// and how it ended stay readable. Safe to read while a reader still appends (after a timeout, say).
/// </summary>
internal sealed class BoundedCapture(int limit)
{
    private readonly Lock _gate = new();
    private readonly byte[] _head = new byte[limit / 2];
    private readonly byte[] _tail = new byte[limit - limit / 2];
    private int _headLength;
    private long _tailWritten;

    /// <summary>Bytes seen but not kept.</summary>
    public long Cut
    {
        get
        {
            lock (_gate)
                return Math.Max(0, _tailWritten - _tail.Length);
        }
    }

    /// <summary>Appends everything the stream yields until it ends, passing it on as lines to <paramref name="lines"/> too, when given.</summary>
    public async Task ReadToEndAsync(Stream stream, OutputLines? lines = null)
    {
        var buffer = new byte[16 << 10];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            Append(buffer.AsSpan(0, read));
            lines?.Append(buffer, read);
        }
        lines?.End();
    }

    /// <summary>The head, a line saying how many bytes were cut (if any were), and the tail, as UTF-8.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            var kept = (int)Math.Min(_tailWritten, _tail.Length);
            var start = (int)(_tailWritten % _tail.Length);
            var tail = kept < _tail.Length ? _tail.AsSpan(0, kept).ToArray() : [.. _tail.AsSpan(start), .. _tail.AsSpan(0, start)];
            var cut = Math.Max(0, _tailWritten - _tail.Length);
            return Encoding.UTF8.GetString(_head, 0, _headLength) + (cut > 0 ? $"\n[{cut} bytes cut]\n" : "") + Encoding.UTF8.GetString(tail);
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            var toHead = Math.Min(data.Length, _head.Length - _headLength);
            data[..toHead].CopyTo(_head.AsSpan(_headLength));
            _headLength += toHead;
            data = data[toHead..];
            // Only the last tail-length bytes of this write can survive it.
            if (data.Length > _tail.Length)
            {
                _tailWritten += data.Length - _tail.Length;
                data = data[^_tail.Length..];
            }
            while (data.Length > 0)
            {
                var at = (int)(_tailWritten % _tail.Length);
                var chunk = Math.Min(data.Length, _tail.Length - at);
                data[..chunk].CopyTo(_tail.AsSpan(at));
                _tailWritten += chunk;
                data = data[chunk..];
            }
        }
    }
}
