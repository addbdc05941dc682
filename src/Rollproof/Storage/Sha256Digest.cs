using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>A SHA-256 content digest, written <c>sha256:&lt;64 lowercase hex&gt;</c> as OCI and in-toto do.</summary>
public readonly record struct Sha256Digest
{
    private Sha256Digest(string hex) => Hex = hex;

    public string Hex { get; }

    public static Sha256Digest Of(ReadOnlySpan<byte> data) => new(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)));

    public static Sha256Digest FromHash(ReadOnlySpan<byte> hash) =>
        hash.Length == 32 ? new(Convert.ToHexStringLower(hash)) : throw new ArgumentException("a SHA-256 hash is 32 bytes", nameof(hash));

    /// <summary>Parses <c>sha256:hex</c> (or bare hex); rejects anything else with the reason.</summary>
    public static Result<Sha256Digest> Parse(string text)
    {
        var hex = text.StartsWith("sha256:", StringComparison.Ordinal) ? text[7..] : text;
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigitLower)
            ? Result<Sha256Digest>.Ok(new Sha256Digest(hex))
            : Result<Sha256Digest>.Fail(ErrorCodes.DigestMalformed, $"'{(text.Length > 80 ? text[..80] + "…" : text)}' is not a sha256 digest (sha256: and 64 lowercase hex digits)");
    }

    public override string ToString() => "sha256:" + Hex;
}
