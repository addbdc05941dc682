using System.Text.Json;
using Rollproof.Common;

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

    private const int MaxLogIdSize = 64;

    public static Result<TlogBundleEntry> Parse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return Malformed("tlogEntry", "must be a JSON object");
        var entry = new ProtoJson(element, "tlog entry", ErrorCodes.TlogEntryMalformed);
        var index = entry.Int64("logIndex");
        if (!index.IsOk)
            return index.Problem;
        var logId = entry.Object("logId");
        var keyId = logId.IsOk ? logId.Value.Bytes("keyId", MaxLogIdSize) : logId.Problem;
        if (!keyId.IsOk)
            return keyId.Problem;
        var kindVersion = entry.Object("kindVersion");
        var kind = kindVersion.IsOk ? kindVersion.Value.String("kind") : kindVersion.Problem;
        var version = kindVersion.IsOk ? kindVersion.Value.String("version") : kindVersion.Problem;
        if (!kind.IsOk || !version.IsOk)
            return (kind.Problem ?? version.Problem)!;
        var body = entry.Bytes("canonicalizedBody", MaxBodySize);
        if (!body.IsOk)
            return body.Problem;
        long? integratedTime = null;
        if (entry.Has("integratedTime"))
        {
            var time = entry.Int64("integratedTime");
            if (!time.IsOk)
                return time.Problem;
            integratedTime = time.Value;
        }
        byte[]? promise = null;
        if (entry.Has("inclusionPromise"))
        {
            var set = entry.Object("inclusionPromise");
            var signature = set.IsOk ? set.Value.Bytes("signedEntryTimestamp", MaxSignatureSize) : set.Problem;
            if (!signature.IsOk)
                return signature.Problem;
            promise = signature.Value;
        }
        TlogInclusionProof? proof = null;
        if (entry.Has("inclusionProof"))
        {
            var parsed = entry.Object("inclusionProof");
            var read = parsed.IsOk ? TlogInclusionProof.Parse(parsed.Value) : parsed.Problem;
            if (!read.IsOk)
                return read.Problem;
            proof = read.Value;
        }
        return Result<TlogBundleEntry>.Ok(new TlogBundleEntry(index.Value, keyId.Value, kind.Value, version.Value, body.Value, integratedTime, promise, proof));
    }

    internal static Problem Malformed(string path, string why) => new(ErrorCodes.TlogEntryMalformed, $"tlog entry {path}: {why}");
}

/// <summary>An entry's <c>inclusionProof</c>: the leaf's index, the tree it is proven in, and that tree's checkpoint.</summary>
internal sealed record TlogInclusionProof(long LogIndex, long TreeSize, byte[] RootHash, IReadOnlyList<byte[]> Hashes, string Checkpoint)
{
    private const int MaxHashSize = 64;

    public static Result<TlogInclusionProof> Parse(ProtoJson proof)
    {
        var index = proof.Int64("logIndex");
        var size = proof.Int64("treeSize");
        if (!index.IsOk || !size.IsOk)
            return (index.Problem ?? size.Problem)!;
        var root = proof.Bytes("rootHash", MaxHashSize);
        if (!root.IsOk)
            return root.Problem;
        var hashes = proof.BytesList("hashes", TlogBundleEntry.MaxProofHashes, MaxHashSize);
        if (!hashes.IsOk)
            return hashes.Problem;
        var checkpoint = proof.Object("checkpoint");
        var envelope = checkpoint.IsOk ? checkpoint.Value.String("envelope") : checkpoint.Problem;
        if (!envelope.IsOk)
            return envelope.Problem;
        if (envelope.Value.Length > TlogBundleEntry.MaxCheckpointSize)
            return new Problem(ErrorCodes.TlogCheckpointInvalid, $"{proof.Path}.checkpoint.envelope: {envelope.Value.Length} characters, more than the {TlogBundleEntry.MaxCheckpointSize} allowed");
        return Result<TlogInclusionProof>.Ok(new TlogInclusionProof(index.Value, size.Value, root.Value, hashes.Value, envelope.Value));
    }
}
