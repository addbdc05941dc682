using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Sigstore.Rekor;

/// <summary>
/// Appends a body to the log through its single writer and gives its index and the log's signed entry timestamp
/// (the one kept for the entry) once a published checkpoint covers it.
/// </summary>
public delegate Task<Result<(long Index, SignedEntryTimestamp Timestamp)>> RekorAppend(byte[] body, CancellationToken cancellation);

/// <summary>An entry as the Rekor API answers with it; <see cref="Existed"/> when a proposed entry was logged before.</summary>
public sealed record RekorAnswer(string EntryId, JsonObject Entry, bool Existed = false);

/// <summary>
/// The Rekor v1 API over a Rollproof log, without HTTP: checks and logs proposed entries, and answers entries by
/// index or UUID with their proofs, and the log's state. Rekor bodies share the log with Rollproof statements (which
/// are never served here, nor ever count as Rekor entries); what is answered is read back from the log and proven
/// against its verified checkpoint, never taken from the index alone.
/// </summary>
public sealed class RekorLog(LogDirectory log, RekorEntryIndex index, RekorAppend append)
{
    /// <summary>Rekor's own limit on the IDs and indexes one retrieve request may name.</summary>
    public const int MaxRetrieve = 10;

    public RekorLogIdentity Identity { get; } = new(log.Verifier);

    /// <summary>Checks a proposed entry and logs its canonical body, or answers the entry logged before with <see cref="RekorAnswer.Existed"/>.</summary>
    public async Task<Result<RekorAnswer>> CreateAsync(ReadOnlyMemory<byte> request, CancellationToken cancellation = default)
    {
        var entry = RekorProposedEntry.Check(request);
        if (!entry.IsOk)
            return entry.Problem;
        var existing = Locate(entry.Value.LeafHash);
        if (!existing.IsOk)
            return existing.Problem;
        if (existing.Value is { } logged)
            return ByIndex(logged).Map(answer => answer with { Existed = true });
        var appended = await append(entry.Value.Body, cancellation).ConfigureAwait(false);
        return appended.IsOk ? Answer(appended.Value.Index, entry.Value.LeafHash, appended.Value.Timestamp) : appended.Problem;
    }

    public Result<RekorAnswer> ByIndex(long index) => Answer(index, null, null);

    /// <summary>The entry an entry ID (tree ID and UUID) or a bare UUID names.</summary>
    public Result<RekorAnswer> ByEntryId(string entryId)
    {
        var leafHash = Identity.LeafHashOf(entryId);
        if (!leafHash.IsOk)
            return leafHash.Problem;
        var found = Locate(leafHash.Value);
        if (!found.IsOk)
            return found.Problem;
        return found.Value is { } index ? ByIndex(index) : Result<RekorAnswer>.Fail(ErrorCodes.RekorEntryNotFound, $"no Rekor entry has UUID {Convert.ToHexStringLower(leafHash.Value)}");
    }

    /// <summary>
    /// <c>POST /api/v1/log/entries/retrieve</c>: the entries named by <c>entryUUIDs</c> and <c>logIndexes</c>, those
    /// found, in that order. Search by artifact <c>hash</c> is not offered (nothing here indexes digests).
    /// </summary>
    public Result<JsonArray> Retrieve(ReadOnlyMemory<byte> request)
    {
        if (request.Length > 64 * 1024)
            return Result<JsonArray>.Fail(ErrorCodes.InputTooLarge, "a retrieve request of more than 64 KiB");
        try
        {
            using var document = TextJson.Parse(request, new JsonDocumentOptions { MaxDepth = 4, AllowDuplicateProperties = false });
            var fields = JsonFields.Of(document.RootElement, "(the search)", "entryUUIDs", "logIndexes", "hash");
            if (!fields.IsOk)
                return fields.Problem;
            if (fields.Value.Has("hash"))
                return RekorField.Malformed("hash", "search by artifact hash is not offered by this log: name entryUUIDs or logIndexes");
            var ids = Items(document.RootElement, "entryUUIDs", JsonValueKind.String);
            var indexes = Items(document.RootElement, "logIndexes", JsonValueKind.Number);
            if (!ids.IsOk || !indexes.IsOk)
                return ids.Problem ?? indexes.Problem!;
            if (ids.Value.Count + indexes.Value.Count is 0 or > MaxRetrieve)
                return RekorField.Malformed("entryUUIDs", $"name 1 to {MaxRetrieve} entries in entryUUIDs and logIndexes together (strings and integers)");
            var found = new JsonArray();
            foreach (var id in ids.Value)
            {
                if (!Keep(ByEntryId(id.GetString()!), found, out var problem))
                    return problem;
            }
            foreach (var number in indexes.Value)
            {
                if (!number.TryGetInt64(out var at) || at < 0)
                    return RekorField.Malformed("logIndexes", $"{number.GetRawText()} is not a log index");
                if (!Keep(ByIndex(at), found, out var problem))
                    return problem;
            }
            return Result<JsonArray>.Ok(found);
        }
        catch (JsonException e)
        {
            return RekorField.Malformed("(the search)", $"not valid JSON: {e.Message}");
        }
    }

    /// <summary><c>GET /api/v1/log</c>: the verified checkpoint's root and size, the checkpoint itself, and the tree ID.</summary>
    public Result<JsonObject> Info()
    {
        var checkpoint = log.ReadCheckpoint();
        if (!checkpoint.IsOk)
            return checkpoint.Problem;
        return Result<JsonObject>.Ok(new JsonObject
        {
            ["inactiveShards"] = new JsonArray(),
            ["rootHash"] = Convert.ToHexStringLower(checkpoint.Value.Checkpoint.RootHash),
            ["signedTreeHead"] = Encoding.UTF8.GetString(checkpoint.Value.Note.ToBytes()),
            ["treeID"] = Identity.TreeId.ToString(CultureInfo.InvariantCulture),
            ["treeSize"] = checkpoint.Value.Checkpoint.Size,
        });
    }

    /// <summary><c>GET /api/v1/log/publicKey</c>: the log's key as a PEM SubjectPublicKeyInfo.</summary>
    public string PublicKeyPem() => PemEncoding.WriteString("PUBLIC KEY", TrustedRoot.KeyOf(log.Verifier).Spki) + "\n";

    // Where the index says the entry is, once the log agrees; a hit the log contradicts rebuilds the index.
    private Result<long?> Locate(byte[] leafHash)
    {
        for (var attempt = 0; ; attempt++)
        {
            var checkpoint = log.ReadCheckpoint();
            if (!checkpoint.IsOk)
                return checkpoint.Problem;
            var size = checkpoint.Value.Checkpoint.Size;
            var found = index.Find(log.Storage, leafHash, size);
            if (!found.IsOk || found.Value is not { } at)
                return found;
            var entry = LogEntries.Read(log.Storage, at, size);
            if (!entry.IsOk)
                return entry.Problem;
            if (MerkleHasher.LeafHash(entry.Value).AsSpan().SequenceEqual(leafHash))
                return found;
            if (attempt > 0)
                return Result<long?>.Fail(ErrorCodes.EntryHashMismatch, $"the Rekor index names entry {at} for UUID {Convert.ToHexStringLower(leafHash)} even when rebuilt from the log");
            index.Reset();
        }
    }

    // The entry at an index, read back and proven against the verified checkpoint: only a Rekor body with its timestamp.
    private Result<RekorAnswer> Answer(long at, byte[]? expectedLeafHash, SignedEntryTimestamp? fresh)
    {
        var checkpoint = log.ReadCheckpoint();
        if (!checkpoint.IsOk)
            return checkpoint.Problem;
        var size = checkpoint.Value.Checkpoint.Size;
        if (at < 0 || at >= size)
            return Result<RekorAnswer>.Fail(ErrorCodes.RekorEntryNotFound, $"log index {at} is not in the log (its checkpoint covers {size} entries)");
        var body = LogEntries.Read(log.Storage, at, size);
        if (!body.IsOk)
            return body.Problem;
        var leafHash = MerkleHasher.LeafHash(body.Value);
        if (expectedLeafHash is not null && !leafHash.AsSpan().SequenceEqual(expectedLeafHash))
            return Result<RekorAnswer>.Fail(ErrorCodes.EntryHashMismatch, $"log entry {at} is not the entry just appended there");
        if (!RekorBody.Is(body.Value))
            return Result<RekorAnswer>.Fail(ErrorCodes.RekorEntryNotFound, $"log entry {at} is not a Rekor entry (Rollproof statements are read through the tiles)");
        var timestamp = fresh;
        if (timestamp is null)
        {
            var kept = log.Timestamps.Read(at);
            if (!kept.IsOk)
                return kept.Problem;
            timestamp = kept.Value;
        }
        if (timestamp is null)
            return Result<RekorAnswer>.Fail(ErrorCodes.EntryTimestampInvalid, $"log entry {at} has no signed entry timestamp");
        if (timestamp.Verify(log.Verifier, body.Value, at) is { } forged)
            return forged;
        var proof = new ProofBuilder(new TileNodeSource(log.Storage, size)).Inclusion(at, size);
        if (!proof.IsOk)
            return proof.Problem;
        if (MerkleProofs.VerifyInclusion(at, size, leafHash, proof.Value, checkpoint.Value.Checkpoint.RootHash) is { } altered)
            return altered with { Message = $"log entry {at} is not the entry the log's checkpoint commits to: {altered.Message}" };
        var entryId = Identity.EntryId(leafHash);
        return Result<RekorAnswer>.Ok(new RekorAnswer(entryId, RekorLogEntry.Create(entryId, at, body.Value, timestamp, Identity.LogId, proof.Value, checkpoint.Value)));
    }

    private static Result<List<JsonElement>> Items(JsonElement root, string member, JsonValueKind kind)
    {
        if (!root.TryGetProperty(member, out var value))
            return Result<List<JsonElement>>.Ok([]);
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != kind))
            return RekorField.Malformed(member, $"must be an array of {(kind == JsonValueKind.String ? "entry IDs" : "log indexes")}");
        return Result<List<JsonElement>>.Ok([.. value.EnumerateArray()]);
    }

    // A found entry joins the answer; one not found is left out, as Rekor does; any other problem ends the search.
    private static bool Keep(Result<RekorAnswer> answer, JsonArray found, out Problem problem)
    {
        problem = answer.Problem!;
        if (answer.IsOk)
            found.Add(answer.Value.Entry);
        return answer.IsOk || answer.Problem!.Code == ErrorCodes.RekorEntryNotFound;
    }
}
