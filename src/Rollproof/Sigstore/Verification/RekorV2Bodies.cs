using System.Security.Cryptography;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Sigstore.Rekor;
using static Rollproof.Sigstore.Verification.TlogBodyFields;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// The bodies Rekor v2 logs: the protobuf JSON of <c>HashedRekordLogEntryV002</c> and <c>DSSELogEntryV002</c>
/// (bytes in base64, hashes named as <c>HashAlgorithm</c>s, the signer as DER). A DSSE envelope may be logged as a
/// hashedrekord 0.0.2 whose digest is the hash of its pre-authentication encoding, which is what its signature signs.
/// </summary>
internal static class RekorV2Bodies
{
    private const string Spec = "canonicalizedBody.spec";

    private static readonly Dictionary<string, HashAlgorithmName> Hashes = new(StringComparer.Ordinal)
    {
        ["SHA2_256"] = HashAlgorithmName.SHA256,
        ["SHA2_384"] = HashAlgorithmName.SHA384,
        ["SHA2_512"] = HashAlgorithmName.SHA512,
    };

    public static Problem? HashedRekord(JsonElement specElement, SignedContent content)
    {
        var entry = Inner(specElement, "hashedRekordV002", "hashedRekordV0_0_2", "data", "signature");
        if (!entry.IsOk)
            return entry.Problem;
        var signature = entry.Value.Object("signature", "content", "verifier");
        if (!signature.IsOk)
            return signature.Problem;
        return Digest(entry.Value, "data", content) ?? Signature(signature.Value, content);
    }

    public static Problem? Dsse(JsonElement specElement, SignedContent content)
    {
        if (content is not DsseContent dsse)
            return Mismatch(Spec, "a dsse entry logs a DSSE envelope, but the bundle holds a message signature");
        var entry = Inner(specElement, "dsseV002", "dsseV0_0_2", "payloadHash", "signatures");
        if (!entry.IsOk)
            return entry.Problem;
        var signature = RekorV1Bodies.OnlySignature(entry.Value, "signatures", "content", "verifier");
        if (!signature.IsOk)
            return signature.Problem;
        return LoggedHash(entry.Value, "payloadHash", algorithm => CryptographicOperations.HashData(algorithm, dsse.Payload), "DSSE payload")
            ?? Signature(signature.Value, content);
    }

    /// <summary>The spec's one member: the entry under its protobuf JSON name (or the field name some encoders write).</summary>
    private static Result<JsonFields> Inner(JsonElement specElement, string jsonName, string fieldName, params string[] members)
    {
        var spec = JsonFields.Of(specElement, Spec, jsonName, fieldName);
        if (!spec.IsOk)
            return spec.Problem;
        return spec.Value.Has(jsonName) || !spec.Value.Has(fieldName) ? spec.Value.Object(jsonName, members) : spec.Value.Object(fieldName, members);
    }

    /// <summary>The logged digest: of the artifact for a message signature, of the envelope's PAE for DSSE.</summary>
    private static Problem? Digest(JsonFields entry, string member, SignedContent content) => content switch
    {
        MessageSignatureContent message => LoggedHash(entry, member, algorithm => algorithm == HashAlgorithmName.SHA256 ? message.ArtifactSha256 : null, "artifact"),
        DsseContent dsse => LoggedHash(entry, member, algorithm => CryptographicOperations.HashData(algorithm, DsseEnvelope.Pae(dsse.PayloadType, dsse.Payload)), "DSSE envelope's pre-authentication encoding"),
        _ => Mismatch(Spec, "the bundle's content is neither a message signature nor a DSSE envelope"),
    };

    /// <summary>A <c>HashOutput</c> (<c>{algorithm, digest}</c>) against what the content gives for that algorithm.</summary>
    private static Problem? LoggedHash(JsonFields entry, string member, Func<HashAlgorithmName, byte[]?> expected, string what)
    {
        var hash = entry.Object(member, "algorithm", "digest");
        if (!hash.IsOk)
            return hash.Problem;
        var algorithm = hash.Value.String("algorithm");
        if (!algorithm.IsOk)
            return algorithm.Problem;
        if (!Hashes.TryGetValue(algorithm.Value, out var name))
            return RekorField.Malformed(hash.Value.PathOf("algorithm"), $"'{algorithm.Value}' is not one of {string.Join(", ", Hashes.Keys)}");
        var digest = Base64(hash.Value, "digest");
        if (!digest.IsOk)
            return digest.Problem;
        return expected(name) is { } bundleDigest
            ? SameBytes(digest.Value, bundleDigest, hash.Value.PathOf("digest"), $"{what} digest ({algorithm.Value})")
            : Mismatch(hash.Value.PathOf("algorithm"), $"{algorithm.Value} is not the SHA2_256 digest the bundle gives for its {what}");
    }

    /// <summary>A <c>Signature</c>: its bytes, and a <c>Verifier</c> holding the signer's certificate or key in DER.</summary>
    private static Problem? Signature(JsonFields signature, SignedContent content)
    {
        var bytes = Base64(signature, "content");
        if (!bytes.IsOk)
            return bytes.Problem;
        var mismatch = SameBytes(bytes.Value, content.Signature, signature.PathOf("content"), "signature");
        if (mismatch is not null)
            return mismatch;
        var verifier = signature.Object("verifier", "keyDetails", "publicKey", "x509Certificate");
        if (!verifier.IsOk)
            return verifier.Problem;
        var isCertificate = verifier.Value.Has("x509Certificate");
        if (isCertificate == verifier.Value.Has("publicKey"))
            return RekorField.Malformed(verifier.Value.PathOf("publicKey"), "a verifier holds exactly one of publicKey and x509Certificate");
        var member = isCertificate ? "x509Certificate" : "publicKey";
        var holder = verifier.Value.Object(member, "rawBytes");
        var der = holder.IsOk ? Base64(holder.Value, "rawBytes") : holder.Problem;
        if (!der.IsOk)
            return der.Problem;
        return isCertificate
            ? TlogBodyFields.Signer(der.Value, null, content.Signer, holder.Value.PathOf("rawBytes"))
            : TlogBodyFields.Signer(null, der.Value, content.Signer, holder.Value.PathOf("rawBytes"));
    }
}
