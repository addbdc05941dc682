using System.Globalization;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Storage.Remote;

/// <summary>
/// A local replica of a store served by <c>rollproof serve</c>, kept under the verifier's state
/// (<c>servers/HOST_PORT/KEY/</c>), so every command runs against it exactly as against a local store. Its log is
/// copied from the server's tiles and believed only once verified with the log key the user holds (never one the
/// server names) and found consistent with the last checkpoint this replica took; release records and the trust file
/// are derived from that log, blobs fetched on demand by digest and checked (<see cref="HttpArtifactStore"/>), and
/// appends go to the server as signed envelopes (<see cref="RemoteAppender"/>).
/// </summary>
public static class ServerReplica
{
    private const string SeenFile = "seen.checkpoint";
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>The replica of <paramref name="server"/>'s store for the log key <paramref name="verifierKey"/>, created empty if new.</summary>
    public static Result<string> Ensure(Uri server, string verifierKey)
    {
        var key = NoteKeys.ParseVerifierKey(verifierKey);
        if (!key.IsOk)
            return key.Problem with { Message = $"the server's log key: {key.Problem.Message}" };
        var root = Path.Combine(VerifierHome.Root, "servers", $"{server.Host}_{server.Port}", Convert.ToHexStringLower(NoteKeyId.CheckpointKeyId(key.Value)));
        var logConfig = Path.Combine(root, "log", ".rollproof", "log.json");
        if (File.Exists(logConfig))
            return Result<string>.Ok(root);
        Directory.CreateDirectory(Path.GetDirectoryName(logConfig)!);
        Directory.CreateDirectory(Path.Combine(root, ".rollproof"));
        var url = server.GetLeftPart(UriPartial.Authority) + "/";
        DurableFile.Replace(Path.Combine(root, ".rollproof", "store.json"), JsonSerializer.SerializeToUtf8Bytes(new { server = url }, Json));
        DurableFile.Replace(logConfig, JsonSerializer.SerializeToUtf8Bytes(new Storage.LogConfig(key.Value.Name, verifierKey, "", null, url), Json));
        return Result<string>.Ok(root);
    }

    /// <summary>
    /// Brings the replica up to the server's current checkpoint: signed by the user's log key, every entry and tile
    /// verified against it, consistent with the last one taken, each new entry's signed entry timestamp verified.
    /// Nothing is written to the replica unless all of that holds.
    /// </summary>
    public static Problem? Sync(ReleaseStore store, ServerClient client)
    {
        var log = store.Log;
        var local = log.Storage.Read(TilePath.Checkpoint);
        var remote = new HttpLogStorage(client.Http, client.Server);
        try
        {
            var served = remote.Read(TilePath.Checkpoint);
            if (served is null)
                return new Problem(ErrorCodes.LogNotInitialised, $"{client.Server} serves no checkpoint");
            if (local is not null && local.AsSpan().SequenceEqual(served))
                return null;
            var opened = Checkpoint.Open(served, log.Verifier);
            if (!opened.IsOk)
                return opened.Problem with { Message = $"the checkpoint {client.Server} serves is not signed by the log key you hold ({log.Config.VerifierKey}): {opened.Problem.Message}" };
            var checkpoint = opened.Value.Checkpoint;
            var mirror = new MirroredLogStorage(log.Storage, remote);
            var audited = TileLogAuditor.Verify(mirror, checkpoint);
            if (!audited.IsOk)
                return audited.Problem with { Message = $"{client.Server}: {audited.Problem.Message}" };
            var seen = Path.Combine(log.Path, ".rollproof", SeenFile);
            if (SeenCheckpoint.CheckExtends(seen, log.Verifier, checkpoint, new ProofBuilder(new TileNodeSource(mirror, checkpoint.Size))) is { } forked)
                return forked with { Message = $"{client.Server}: {forked.Message}" };
            var from = local is null ? 0 : Checkpoint.Open(local, log.Verifier) is { IsOk: true } taken ? taken.Value.Checkpoint.Size : 0;
            var stamps = Timestamps(client, mirror, log.Verifier, from, checkpoint.Size);
            if (!stamps.IsOk)
                return stamps.Problem;
            mirror.Commit();
            foreach (var (index, stamp) in stamps.Value)
                log.Timestamps.Keep(index, stamp);
            log.Storage.ReplaceCheckpoint(served);
            SeenCheckpoint.Remember(seen, served);
            return AdoptReleases(store, from, checkpoint.Size);
        }
        catch (ProblemException e)
        {
            return e.Problem;
        }
    }

    // Each new entry's timestamp, checked with the log key for that entry at that index; an entry without one stays without.
    private static Result<List<(long, SignedEntryTimestamp)>> Timestamps(ServerClient client, ILogStorage tiles, INoteVerifier logKey, long from, long size)
    {
        var stamps = new List<(long, SignedEntryTimestamp)>();
        foreach (var read in LogEntries.Range(tiles, from, size, size))
        {
            if (!read.IsOk)
                return read.Problem;
            var (index, entry) = read.Value;
            var fetched = client.Send(new HttpRequestMessage(HttpMethod.Get, client.Api("timestamps/" + index.ToString(CultureInfo.InvariantCulture))));
            if (!fetched.IsOk)
                return fetched.Problem;
            if (fetched.Value is not { } body)
                continue;
            SignedEntryTimestamp? stamp;
            try
            {
                stamp = JsonSerializer.Deserialize<SignedEntryTimestamp>(body, Json);
            }
            catch (JsonException e)
            {
                return Result<List<(long, SignedEntryTimestamp)>>.Fail(ErrorCodes.EntryTimestampInvalid, $"{client.Server}: the timestamp of entry {index} is not valid JSON: {e.Message}");
            }
            if (stamp is null || stamp.Signature is null || stamp.Verify(logKey, entry.Span, index) is { } forged)
                return Result<List<(long, SignedEntryTimestamp)>>.Fail(ErrorCodes.EntryTimestampInvalid, $"{client.Server}: the timestamp of entry {index} is not signed by the log key you hold");
            stamps.Add((index, stamp));
        }
        return Result<List<(long, SignedEntryTimestamp)>>.Ok(stamps);
    }

    // Release records are not part of the log: the replica writes them from the log's release entries, never from the server's files.
    private static Problem? AdoptReleases(ReleaseStore store, long from, long size)
    {
        foreach (var read in LogEntries.Range(store.Log.Storage, from, size, size))
        {
            if (!read.IsOk)
                return read.Problem;
            var (index, entry) = read.Value;
            var envelope = DsseEnvelope.Parse(entry.Span);
            if (!envelope.IsOk || InTotoStatement.FromEnvelope(envelope.Value) is not { IsOk: true } statement
                || StatementKinds.KindOf(statement.Value.PredicateType) != StatementKinds.Release)
                continue;
            var adopted = store.AdoptLoggedRelease(index, entry.ToArray());
            if (adopted is not null)
                return adopted;
        }
        return null;
    }
}
