using System.Globalization;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Sigstore.Rekor;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// One <c>verificationMaterial.tlogEntries</c> element (the JSON form of <c>TransparencyLogEntry</c>), read with
/// bounds and nothing believed yet: each member is checked by <see cref="TlogEntryVerifier"/> against the body, the
/// content and the trusted root.
/// </summary>
internal sealed record TlogBundleEntry(
    long LogIndex,
    byte[] LogId,
    string Kind,
    string Version,
    byte[] Body,
    long? IntegratedTime,
    byte[]? SignedEntryTimestamp,
    TlogInclusionProof? Proof)
{
    /// <summary>An in-toto attestation logged whole (intoto 0.0.2) stays well under this.</summary>
    public const int MaxBodySize = 4 << 20;

    /// <summary>A tree of 2^64 leaves needs 64 hashes.</summary>
    public const int MaxProofHashes = 64;

    /// <summary>A checkpoint with a hundred cosignatures fits in far less.</summary>
    public const int MaxCheckpointSize = 64 << 10;

    /// <summary>A DER ECDSA P-521 signature is at most 139 bytes; room for larger algorithms.</summary>
    private const int MaxSignatureSize = 1024;

    public static Result<TlogBundleEntry> Parse(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
            return Malformed("tlogEntry", "must be a JSON object");
        var index = Int64(entry, "logIndex", required: true);
        if (!index.IsOk)
            return index.Problem;
        var logId = Member(entry, "logId", JsonValueKind.Object);
        var keyId = logId.IsOk ? Bytes(logId.Value, "logId.keyId", "keyId", 64) : logId.Problem;
        if (!keyId.IsOk)
            return keyId.Problem;
        if (keyId.Value.Length == 0)
            return Malformed("logId.keyId", "is empty");
        var kindVersion = Member(entry, "kindVersion", JsonValueKind.Object);
        var kind = kindVersion.IsOk ? Text(kindVersion.Value, "kindVersion.kind", "kind") : kindVersion.Problem;
        var version = kindVersion.IsOk ? Text(kindVersion.Value, "kindVersion.version", "version") : kindVersion.Problem;
        if (!kind.IsOk || !version.IsOk)
            return kind.Problem ?? version.Problem!;
        var body = Bytes(entry, "canonicalizedBody", "canonicalizedBody", MaxBodySize);
        if (!body.IsOk)
            return body.Problem;
        var integratedTime = Int64(entry, "integratedTime", required: false);
        if (!integratedTime.IsOk)
            return integratedTime.Problem;
        byte[]? promise = null;
        if (entry.TryGetProperty("inclusionPromise", out var promiseElement) && promiseElement.ValueKind != JsonValueKind.Null)
        {
            var set = promiseElement.ValueKind == JsonValueKind.Object
                ? Bytes(promiseElement, "inclusionPromise.signedEntryTimestamp", "signedEntryTimestamp", MaxSignatureSize)
                : Malformed("inclusionPromise", "must be a JSON object");
            if (!set.IsOk)
                return set.Problem;
            promise = set.Value;
        }
        TlogInclusionProof? proof = null;
        if (entry.TryGetProperty("inclusionProof", out var proofElement) && proofElement.ValueKind != JsonValueKind.Null)
        {
            var parsed = TlogInclusionProof.Parse(proofElement);
            if (!parsed.IsOk)
                return parsed.Problem;
            proof = parsed.Value;
        }
        return Result<TlogBundleEntry>.Ok(new TlogBundleEntry(index.Value!.Value, keyId.Value, kind.Value, version.Value, body.Value, integratedTime.Value, promise, proof));
    }

    internal static Result<JsonElement> Member(JsonElement parent, string name, JsonValueKind kind) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? Result<JsonElement>.Ok(value)
            : Malformed(name, $"is missing or not a JSON {kind.ToString().ToLowerInvariant()}");

    /// <summary>An int64 as protobuf JSON writes it: a decimal string, or a number; never negative here.</summary>
    internal static Result<long?> Int64(JsonElement parent, string name, bool required)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return required ? Malformed(name, "is missing") : Result<long?>.Ok(null);
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? Result<long?>.Ok(number) : Malformed(name, "must be a non-negative 64-bit integer");
    }

    internal static Result<string> Text(JsonElement parent, string path, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 256 } text
            ? Result<string>.Ok(text)
            : Malformed(path, "is missing or not a short non-empty string");

    internal static Result<byte[]> Bytes(JsonElement parent, string path, string name, int maxSize)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
            return Malformed(path, "is missing or not a base64 string");
        var text = value.GetString()!;
        if (text.Length > (maxSize + 2) / 3 * 4)
            return Malformed(path, $"holds more than the {maxSize} bytes allowed");
        return Base64Field.TryDecode(text, out var bytes) ? Result<byte[]>.Ok(bytes) : Malformed(path, "is not standard padded base64");
    }

    internal static Problem Malformed(string path, string why) => new(ErrorCodes.TlogEntryMalformed, $"tlog entry {path}: {why}");
}

/// <summary>An entry's <c>inclusionProof</c>: the leaf's index, the tree it is proven in, and that tree's checkpoint.</summary>
internal sealed record TlogInclusionProof(long LogIndex, long TreeSize, byte[] RootHash, IReadOnlyList<byte[]> Hashes, string Checkpoint)
{
    public static Result<TlogInclusionProof> Parse(JsonElement proof)
    {
        if (proof.ValueKind != JsonValueKind.Object)
            return TlogBundleEntry.Malformed("inclusionProof", "must be a JSON object");
        var index = TlogBundleEntry.Int64(proof, "logIndex", required: true);
        var size = TlogBundleEntry.Int64(proof, "treeSize", required: true);
        if (!index.IsOk || !size.IsOk)
            return TlogBundleEntry.Malformed("inclusionProof", (index.Problem ?? size.Problem)!.Message);
        var root = TlogBundleEntry.Bytes(proof, "inclusionProof.rootHash", "rootHash", 64);
        if (!root.IsOk)
            return root.Problem;
        var hashes = new List<byte[]>();
        if (proof.TryGetProperty("hashes", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
                return TlogBundleEntry.Malformed("inclusionProof.hashes", "must be an array");
            if (list.GetArrayLength() > TlogBundleEntry.MaxProofHashes)
                return TlogBundleEntry.Malformed("inclusionProof.hashes", $"holds {list.GetArrayLength()} hashes, more than the {TlogBundleEntry.MaxProofHashes} a tree can need");
            foreach (var item in list.EnumerateArray())
            {
                var hash = item.ValueKind == JsonValueKind.String && Base64Field.TryDecode(item.GetString()!, out var bytes) && bytes.Length <= 64
                    ? bytes
                    : null;
                if (hash is null)
                    return TlogBundleEntry.Malformed($"inclusionProof.hashes[{hashes.Count}]", "is not a base64 hash");
                hashes.Add(hash);
            }
        }
        var checkpoint = TlogBundleEntry.Member(proof, "checkpoint", JsonValueKind.Object);
        if (!checkpoint.IsOk)
            return TlogBundleEntry.Malformed("inclusionProof.checkpoint", "is missing or not a JSON object");
        if (!checkpoint.Value.TryGetProperty("envelope", out var envelope) || envelope.ValueKind != JsonValueKind.String)
            return TlogBundleEntry.Malformed("inclusionProof.checkpoint.envelope", "is missing or not a string");
        var text = envelope.GetString()!;
        if (text.Length > TlogBundleEntry.MaxCheckpointSize)
            return new Problem(ErrorCodes.TlogCheckpointInvalid, $"tlog entry inclusionProof.checkpoint.envelope: {text.Length} characters, more than the {TlogBundleEntry.MaxCheckpointSize} allowed");
        return Result<TlogInclusionProof>.Ok(new TlogInclusionProof(index.Value!.Value, size.Value!.Value, root.Value, hashes, text));
    }
}
