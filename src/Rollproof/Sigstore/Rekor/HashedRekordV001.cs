using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Sigstore.Rekor;

/// <summary>
/// Rekor's <c>hashedrekord</c> 0.0.1 entry: a signature over an artifact's digest and the key that made it. The
/// signature is verified over the digest before anything is logged; the logged body keeps the digest, the signature
/// and the key in canonical PEM, and never the artifact.
/// </summary>
internal static class HashedRekordV001
{
    public const string Kind = "hashedrekord";
    public const string ApiVersion = "0.0.1";

    /// <summary>A DER ECDSA signature on P-521, the largest accepted, is at most 139 bytes.</summary>
    private const int MaxSignatureSize = 512;

    private static readonly Dictionary<string, int> DigestSizes = new(StringComparer.Ordinal) { ["sha256"] = 32, ["sha384"] = 48, ["sha512"] = 64 };

    public static Result<RekorEntry> Check(JsonElement specElement)
    {
        var spec = JsonFields.Of(specElement, "spec", "data", "signature");
        if (!spec.IsOk)
            return spec.Problem;
        var hash = spec.Value.Object("data", "hash");
        hash = hash.IsOk ? hash.Value.Object("hash", "algorithm", "value") : hash;
        if (!hash.IsOk)
            return hash.Problem;
        var digest = Digest(hash.Value);
        if (!digest.IsOk)
            return digest.Problem;
        var signature = spec.Value.Object("signature", "content", "publicKey");
        if (!signature.IsOk)
            return signature.Problem;
        var content = SignatureBytes(signature.Value);
        if (!content.IsOk)
            return content.Problem;
        var keyField = signature.Value.Object("publicKey", "content");
        var keyText = keyField.IsOk ? keyField.Value.String("content") : keyField.Problem;
        if (!keyText.IsOk)
            return keyText.Problem;
        var key = RekorVerifierKey.Parse(keyText.Value, keyField.Value.PathOf("content"));
        if (!key.IsOk)
            return key.Problem;
        using var verifier = key.Value;
        if (verifier.IsEd25519)
            return RekorField.Malformed(keyField.Value.PathOf("content"), "an Ed25519 key signs messages, not digests: log its signatures as a dsse entry");
        if (!verifier.VerifyDigest(digest.Value.Bytes, content.Value))
            return RekorField.SignatureInvalid(signature.Value.PathOf("content"), $"does not verify with spec.signature.publicKey over the {digest.Value.Algorithm} digest in spec.data.hash.value");
        var body = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = Kind,
            ["spec"] = new JsonObject
            {
                ["data"] = new JsonObject { ["hash"] = new JsonObject { ["algorithm"] = digest.Value.Algorithm, ["value"] = Convert.ToHexStringLower(digest.Value.Bytes) } },
                ["signature"] = new JsonObject
                {
                    ["content"] = Convert.ToBase64String(content.Value),
                    ["publicKey"] = new JsonObject { ["content"] = verifier.LoggedForm },
                },
            },
        };
        return Result<RekorEntry>.Ok(new RekorEntry(Kind, ApiVersion, CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(body)).Value));
    }

    private static Result<(string Algorithm, byte[] Bytes)> Digest(JsonFields hash)
    {
        var algorithm = hash.String("algorithm");
        if (!algorithm.IsOk)
            return algorithm.Problem;
        if (!DigestSizes.TryGetValue(algorithm.Value, out var size))
            return RekorField.Malformed(hash.PathOf("algorithm"), $"'{algorithm.Value}' is not one of {string.Join(", ", DigestSizes.Keys)}");
        var value = hash.String("value");
        if (!value.IsOk)
            return value.Problem;
        if (value.Value.Length != size * 2 || !value.Value.All(char.IsAsciiHexDigit))
            return RekorField.Malformed(hash.PathOf("value"), $"must be the {size}-byte {algorithm.Value} digest in hex ({size * 2} digits)");
        return Result<(string, byte[])>.Ok((algorithm.Value, Convert.FromHexString(value.Value)));
    }

    private static Result<byte[]> SignatureBytes(JsonFields signature)
    {
        var text = signature.String("content");
        if (!text.IsOk)
            return text.Problem;
        if (text.Value.Length > MaxSignatureSize * 4 / 3 + 4)
            return new Problem(ErrorCodes.InputTooLarge, $"{signature.PathOf("content")}: a signature of more than {MaxSignatureSize} bytes");
        return Base64Field.TryDecode(text.Value, out var bytes) ? Result<byte[]>.Ok(bytes) : RekorField.Malformed(signature.PathOf("content"), "not base64");
    }
}
