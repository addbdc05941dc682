using System.Text.Json;
using System.Threading.Channels;
using Rollproof.Common;

namespace Rollproof.Server.Logging;

/// <summary>
/// Writes one JSON line per request (<see cref="RequestLogEntry"/>) to stderr or a file, from one background task: a
/// request only queues its entry, so a slow terminal or disk slows the log, not the request, until the queue is full,
/// then requests wait rather than lose lines. Disposing writes what is queued and flushes.
/// </summary>
public sealed class RequestLog : IAsyncDisposable
{
    private const int QueueLength = 16_384;

    private readonly Stream _output;
    private readonly Channel<RequestLogEntry> _queue = Channel.CreateBounded<RequestLogEntry>(
        new BoundedChannelOptions(QueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Task _writing;

    private RequestLog(Stream output)
    {
        _output = output;
        _writing = Task.Run(WriteAsync);
    }

    /// <summary>Stderr when <paramref name="file"/> is null; else the file, appended to (created if missing).</summary>
    public static Result<RequestLog> Open(string? file)
    {
        if (file is null)
            return Result<RequestLog>.Ok(new RequestLog(Console.OpenStandardError()));
        try
        {
            return Result<RequestLog>.Ok(new RequestLog(new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.Read)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Result<RequestLog>.Fail(ErrorCodes.RequestLogUnusable, $"--request-log {file}: cannot append to it ({e.Message}); nothing was served");
        }
    }

    public ValueTask RecordAsync(RequestLogEntry entry) => _queue.Writer.WriteAsync(entry);

    private async Task WriteAsync()
    {
        await using var buffered = new BufferedStream(_output, 64 * 1024);
        await using var json = new Utf8JsonWriter(buffered);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (_queue.Reader.TryRead(out var entry))
            {
                entry.WriteTo(json);
                await json.FlushAsync();
                json.Reset();
                buffered.WriteByte((byte)'\n');
            }
            // Flushed whenever the queue runs dry: lines appear as requests finish, yet a burst is written in few calls.
            await buffered.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writing;
    }
}
