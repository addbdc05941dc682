using Rollproof.Common;

namespace Rollproof.Sigstore.Rekor;

/// <summary>
/// A problem with one field of a proposed Rekor entry, named by its JSON path (e.g. <c>spec.signature.content</c>)
/// at the start of the message, so a client sees what to fix and where.
/// </summary>
internal static class RekorField
{
    public static Problem Malformed(string field, string why) => new(ErrorCodes.RekorEntryMalformed, $"{field}: {why}");

    public static Problem SignatureInvalid(string field, string why) => new(ErrorCodes.RekorSignatureInvalid, $"{field}: {why}");
}
