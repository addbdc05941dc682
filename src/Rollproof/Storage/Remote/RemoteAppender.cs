using System.Net.Http.Headers;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Transparency;

namespace Rollproof.Storage.Remote;

/// <summary>
/// Appends to a served log by submitting the signed envelope to its server (<c>POST api/rollproof/v1/entries</c>),
/// which verifies it before logging it. The server's answer is not taken on its word: the replica is synced to a
/// checkpoint signed by the user's log key, and the entry at the index the server named must be these very bytes.
/// </summary>
public sealed class RemoteAppender(ReleaseStore replica, ServerClient client) : IEntryAppender
{
    public async Task<Result<(long Index, SignedEntryTimestamp Timestamp)>> AppendAsync(byte[] entry, CancellationToken cancellation = default)
    {
        var answered = await client.SubmitAsync(() => Submission(entry), cancellation);
        if (!answered.IsOk)
            return answered.Problem;
        long index;
        try
        {
            using var answer = JsonDocument.Parse(answered.Value ?? []);
            index = answer.RootElement.GetProperty("index").GetInt64();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return Result<(long, SignedEntryTimestamp)>.Fail(ErrorCodes.LogUnreachable, $"{client.Server} answered the submission without an index: {e.Message}");
        }
        if (ServerReplica.Sync(replica, client) is { } unsynced)
            return unsynced;
        var checkpoint = replica.Log.ReadCheckpoint();
        if (!checkpoint.IsOk)
            return checkpoint.Problem;
        var size = checkpoint.Value.Checkpoint.Size;
        var logged = index >= 0 && index < size ? LogEntries.Read(replica.Log.Storage, index, size) : Result<byte[]>.Fail(ErrorCodes.EntryHashMismatch, "beyond the log");
        if (!logged.IsOk || !logged.Value.AsSpan().SequenceEqual(entry))
            return Result<(long, SignedEntryTimestamp)>.Fail(ErrorCodes.EntryHashMismatch, $"{client.Server} said it logged the entry at index {index}, but its verified log holds something else there");
        var timestamp = replica.Log.Timestamps.Read(index);
        if (!timestamp.IsOk)
            return timestamp.Problem;
        return timestamp.Value is { } stamp
            ? Result<(long, SignedEntryTimestamp)>.Ok((index, stamp))
            : Result<(long, SignedEntryTimestamp)>.Fail(ErrorCodes.EntryTimestampInvalid, $"{client.Server} serves no signed entry timestamp for entry {index}");
    }

    // Sent again unchanged while the server asks to wait (ServerWaits): it answers the same index for the same entry.
    private HttpRequestMessage Submission(byte[] entry)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, client.Api("entries")) { Content = new ByteArrayContent(entry) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }
}
