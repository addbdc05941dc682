using Rollproof.Transparency;

namespace Rollproof.Sigstore.Rekor;

/// <summary>
/// A checked Rekor entry, ready to log: its kind and API version, and the canonical body (RFC 8785 JSON) that is the
/// log entry itself. Its UUID, as Rekor names entries, is the hex RFC 6962 leaf hash of that body.
/// </summary>
public sealed record RekorEntry(string Kind, string ApiVersion, byte[] Body)
{
    public byte[] LeafHash { get; } = MerkleHasher.LeafHash(Body);

    public string Uuid => Convert.ToHexStringLower(LeafHash);
}
