using System.Buffers.Binary;
using System.Globalization;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Sigstore.Rekor;

/// <summary>
/// How Rekor clients name this log and its entries. The log ID is the checkpoint key ID (as in our
/// <see cref="TrustedRoot"/> and the signed entry timestamps); the tree ID, which Rekor puts in front of an entry's
/// UUID to make its entry ID, is taken from the log ID so it stays the same for the life of the log key.
/// </summary>
public sealed class RekorLogIdentity(INoteVerifier logKey)
{
    private const int UuidLength = 64;
    private const int TreeIdLength = 16;

    public byte[] LogId { get; } = NoteKeyId.CheckpointKeyId(logKey);

    public long TreeId => BinaryPrimitives.ReadInt64BigEndian(LogId) & long.MaxValue;

    /// <summary>The entry ID Rekor answers with: 16 hex digits of tree ID, then the 64 of the UUID (the leaf hash).</summary>
    public string EntryId(ReadOnlySpan<byte> leafHash) => TreeId.ToString("x16", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(leafHash);

    /// <summary>The leaf hash an entry ID or bare UUID names; an entry ID of another tree names nothing here.</summary>
    public Result<byte[]> LeafHashOf(string entryId)
    {
        if (entryId.Length is not (UuidLength or UuidLength + TreeIdLength) || !entryId.All(char.IsAsciiHexDigit))
            return Result<byte[]>.Fail(ErrorCodes.RekorEntryMalformed, $"entry ID '{Shown(entryId)}' must be a 64-digit hex UUID, optionally after a 16-digit hex tree ID");
        if (entryId.Length > UuidLength && !entryId[..TreeIdLength].Equals(TreeId.ToString("x16", CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase))
            return Result<byte[]>.Fail(ErrorCodes.RekorEntryNotFound, $"entry ID {entryId} is in tree {entryId[..TreeIdLength]}, not in this log's tree {TreeId:x16}");
        return Result<byte[]>.Ok(Convert.FromHexString(entryId[^UuidLength..]));
    }

    // An ID from a request is echoed back only in part, so a huge one does not become a huge message.
    private static string Shown(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
