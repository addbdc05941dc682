using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;

namespace Rollproof.Transparency;

/// <summary>
/// The log's signed promise that an entry is in the log at an index as of a time (Rekor's "signed entry timestamp",
/// the <c>inclusionPromise</c> of a Sigstore bundle). Signed with the log's own checkpoint key over the canonical JSON
/// <c>{"body":base64(entry),"integratedTime":unix seconds,"logID":hex(checkpoint key ID),"logIndex":index}</c>, it
/// gives each entry a time that the log vouches for, unlike a timestamp the submitter wrote down.
/// </summary>
public sealed record SignedEntryTimestamp(long IntegratedTime, byte[] Signature)
{
    /// <summary>Whether <see cref="IntegratedTime"/> is a date at all: one read from outside may be any 64-bit number.</summary>
    [JsonIgnore]
    public bool IsDate => IntegratedTime >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && IntegratedTime <= DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    [JsonIgnore]
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeSeconds(IntegratedTime);

    public static SignedEntryTimestamp Sign(INoteSigner logSigner, ReadOnlySpan<byte> entry, long index, DateTimeOffset time) =>
        Sign(logSigner, entry, index, time, NoteKeyId.CheckpointKeyId(NoteKeys.ParseVerifierKey(logSigner.VerifierKey).Value));

    /// <summary>As above, with the log's ID (<see cref="NoteKeyId.CheckpointKeyId"/> of its key) worked out once by a caller signing many.</summary>
    public static SignedEntryTimestamp Sign(INoteSigner logSigner, ReadOnlySpan<byte> entry, long index, DateTimeOffset time, byte[] logId)
    {
        var seconds = time.ToUnixTimeSeconds();
        return new SignedEntryTimestamp(seconds, logSigner.Sign(Payload(entry, seconds, index, logId)));
    }

    /// <summary>Null when the log's key signed this promise for exactly this entry at this index.</summary>
    public Problem? Verify(INoteVerifier logKey, ReadOnlySpan<byte> entry, long index) =>
        logKey.Verify(Payload(entry, IntegratedTime, index, NoteKeyId.CheckpointKeyId(logKey)), Signature)
            ? null
            : new Problem(ErrorCodes.EntryTimestampInvalid, $"the signed entry timestamp of entry {index} ({Time:O}) does not verify with the log's key {logKey.Name}");

    public static byte[] Payload(ReadOnlySpan<byte> entry, long integratedTime, long index, byte[] logId)
    {
        var payload = new JsonObject
        {
            ["body"] = Convert.ToBase64String(entry),
            ["integratedTime"] = integratedTime,
            ["logID"] = Convert.ToHexStringLower(logId),
            ["logIndex"] = index,
        };
        return CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(payload)).Value;
    }
}
