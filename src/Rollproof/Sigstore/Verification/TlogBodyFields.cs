using System.Security.Cryptography;
using System.Text;
using Rollproof.Common;
using Rollproof.Sigstore.Rekor;

namespace Rollproof.Sigstore.Verification;

/// <summary>Comparisons of one body member with the bundle's content, each failing with the member's path.</summary>
internal static class TlogBodyFields
{
    public static Problem Mismatch(string path, string why) => new(ErrorCodes.TlogBodyMismatch, $"tlog entry {path}: {why}");

    public static Problem? SameBytes(ReadOnlySpan<byte> logged, ReadOnlySpan<byte> expected, string path, string what) =>
        logged.SequenceEqual(expected) ? null : Mismatch(path, $"is not the bundle's {what}");

    /// <summary>A member holding base64 bytes (protobuf JSON, Rekor v1 signatures).</summary>
    public static Result<byte[]> Base64(JsonFields fields, string member)
    {
        var text = fields.String(member);
        if (!text.IsOk)
            return text.Problem;
        return Base64Field.TryDecode(text.Value, out var bytes) ? Result<byte[]>.Ok(bytes) : RekorField.Malformed(fields.PathOf(member), "is not base64");
    }

    /// <summary>A Rekor v1 <c>{algorithm: "sha256", value: hex}</c> hash against the SHA-256 of <paramref name="data"/>.</summary>
    public static Problem? Sha256Hex(JsonFields parent, string member, ReadOnlySpan<byte> expectedDigest, string what)
    {
        var hash = parent.Object(member, "algorithm", "value");
        if (!hash.IsOk)
            return hash.Problem;
        var algorithm = hash.Value.String("algorithm");
        var value = hash.Value.String("value");
        if (!algorithm.IsOk || !value.IsOk)
            return algorithm.Problem ?? value.Problem;
        if (algorithm.Value != "sha256")
            return Mismatch(hash.Value.PathOf("algorithm"), $"'{algorithm.Value}' is not sha256, the bundle's {what} digest");
        return value.Value.Equals(Convert.ToHexStringLower(expectedDigest), StringComparison.OrdinalIgnoreCase)
            ? null
            : Mismatch(hash.Value.PathOf("value"), $"is not the SHA-256 of the bundle's {what}");
    }

    /// <summary>
    /// A Rekor v1 signer: base64 of a PEM certificate or public key, which must be the bundle's own signer in DER (a
    /// certificate for a certificate, a key for a key).
    /// </summary>
    public static Problem? LoggedPem(JsonFields parent, string member, SignerMaterial signer)
    {
        var path = parent.PathOf(member);
        var pemBytes = Base64(parent, member);
        if (!pemBytes.IsOk)
            return pemBytes.Problem;
        string pem;
        PemFields found;
        try
        {
            pem = new UTF8Encoding(false, true).GetString(pemBytes.Value);
            found = PemEncoding.Find(pem);
        }
        catch (Exception e) when (e is ArgumentException or DecoderFallbackException)
        {
            return RekorField.Malformed(path, "is not base64 of a PEM certificate or public key");
        }
        var der = Convert.FromBase64String(pem[found.Base64Data]);
        return pem[found.Label] switch
        {
            "CERTIFICATE" => Signer(der, null, signer, path),
            "PUBLIC KEY" => Signer(null, der, signer, path),
            var label => RekorField.Malformed(path, $"is a PEM '{label}' block, not a CERTIFICATE or PUBLIC KEY"),
        };
    }

    /// <summary>The logged signer (one of a certificate or a public key, DER) against the bundle's.</summary>
    public static Problem? Signer(byte[]? certificateDer, byte[]? publicKeySpki, SignerMaterial signer, string path)
    {
        if (certificateDer is not null)
            return signer.CertificateDer is { } bundleCertificate
                ? SameBytes(certificateDer, bundleCertificate, path, "signing certificate")
                : Mismatch(path, "logs a certificate, but the bundle is verified with a public key");
        return signer.PublicKeySpki is { } bundleKey
            ? SameBytes(publicKeySpki, bundleKey, path, "public key")
            : Mismatch(path, "logs a public key, but the bundle's signer is a certificate");
    }
}
