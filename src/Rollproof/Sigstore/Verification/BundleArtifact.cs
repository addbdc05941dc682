using System.Globalization;
using System.Security.Cryptography;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// The artifact a bundle is checked against: its SHA-256 digest always, and its bytes when the caller has them
/// (an Ed25519 message signature is over the bytes themselves, so a digest alone cannot verify it).
/// </summary>
public sealed record BundleArtifact
{
    private BundleArtifact(byte[] sha256, byte[]? bytes)
    {
        Sha256 = sha256;
        Bytes = bytes;
    }

    public byte[] Sha256 { get; }

    public byte[]? Bytes { get; }

    public static BundleArtifact FromBytes(byte[] bytes) => new(SHA256.HashData(bytes), bytes);

    public static BundleArtifact FromDigest(byte[] sha256) =>
        sha256.Length == SHA256.HashSizeInBytes ? new(sha256, null) : throw new ArgumentException("a SHA-256 digest is 32 bytes", nameof(sha256));

    /// <summary>
    /// <c>sha256:</c> and 64 hex digits, as the conformance protocol gives a digest; anything else (including a
    /// string of that shape that names a file on disk) is for the caller to treat as a path.
    /// </summary>
    public static bool TryParseDigest(string text, out byte[] sha256)
    {
        sha256 = [];
        const string prefix = "sha256:";
        if (!text.StartsWith(prefix, StringComparison.Ordinal) || text.Length != prefix.Length + 64 || File.Exists(text))
            return false;
        var hex = text.AsSpan(prefix.Length);
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
                return false;
        }
        sha256 = Convert.FromHexString(hex);
        return true;
    }

    public override string ToString() => "sha256:" + Convert.ToHexStringLower(Sha256).ToString(CultureInfo.InvariantCulture);
}
