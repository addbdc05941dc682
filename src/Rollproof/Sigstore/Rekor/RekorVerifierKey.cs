using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Rollproof.Common;
using Rollproof.Signing;
using PublicKey = Rollproof.Signing.PublicKey;

namespace Rollproof.Sigstore.Rekor;

/// <summary>
/// The key that verifies a Rekor entry's signature, as the entry names it: base64 of a PEM public key or X.509
/// certificate. Rekor only checks that the key verifies the signature; a certificate's chain and identity are for the
/// client that reads the entry, so none is checked here. ECDSA keys on NIST P-256, P-384 and P-521 and Ed25519 keys
/// are accepted, as Sigstore clients use them.
/// </summary>
internal sealed class RekorVerifierKey : IDisposable
{
    /// <summary>Bounds the PEM a client may send: a certificate with a long chain of names stays well under it.</summary>
    public const int MaxPemSize = 16 * 1024;

    private readonly ECDsa? _ecdsa;
    private readonly byte[]? _ed25519;

    private RekorVerifierKey(string canonicalPem, ECDsa? ecdsa, byte[]? ed25519)
    {
        CanonicalPem = canonicalPem;
        _ecdsa = ecdsa;
        _ed25519 = ed25519;
    }

    /// <summary>The PEM block re-encoded from its DER (64-column lines, final newline), as Rekor logs it.</summary>
    public string CanonicalPem { get; }

    /// <summary>What the logged body carries: the canonical PEM, base64-encoded.</summary>
    public string LoggedForm => Convert.ToBase64String(Encoding.UTF8.GetBytes(CanonicalPem));

    public bool IsEd25519 => _ed25519 is not null;

    /// <summary>The PEM of a <see cref="PublicKey"/>, in the form a Rekor body names it.</summary>
    public static string LoggedFormOf(PublicKey key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key.ToPem() + "\n"));

    /// <param name="base64Pem">The field's value: base64 of a PEM block.</param>
    /// <param name="field">The field's JSON path, for the problem.</param>
    public static Result<RekorVerifierKey> Parse(string base64Pem, string field)
    {
        if (base64Pem.Length > MaxPemSize * 4 / 3 + 4)
            return new Problem(ErrorCodes.InputTooLarge, $"{field}: a key or certificate of more than {MaxPemSize} bytes");
        if (!Base64Field.TryDecode(base64Pem, out var pemBytes))
            return RekorField.Malformed(field, "not base64");
        string pem;
        PemFields found;
        try
        {
            pem = new UTF8Encoding(false, true).GetString(pemBytes);
            found = PemEncoding.Find(pem);
        }
        catch (Exception e) when (e is ArgumentException or DecoderFallbackException)
        {
            return RekorField.Malformed(field, "not a PEM public key or certificate");
        }
        var der = Convert.FromBase64String(pem[found.Base64Data]);
        return pem[found.Label] switch
        {
            "PUBLIC KEY" => FromSpki(der, PemEncoding.WriteString("PUBLIC KEY", der) + "\n", field),
            "CERTIFICATE" => FromCertificate(der, field),
            var label => RekorField.Malformed(field, $"a PEM '{label}' block, not a PUBLIC KEY or CERTIFICATE"),
        };
    }

    /// <summary>Whether <paramref name="signature"/> (DER for ECDSA) signs the message whose hash is <paramref name="digest"/>.</summary>
    public bool VerifyDigest(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature) =>
        _ecdsa is not null && _ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);

    /// <summary>Whether <paramref name="signature"/> signs <paramref name="message"/> (ECDSA over its SHA-256, as Rekor checks DSSE).</summary>
    public bool VerifyMessage(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        _ecdsa is not null
            ? _ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            : OpenSslEd25519.Verify(_ed25519, message, signature);

    public void Dispose() => _ecdsa?.Dispose();

    private static Result<RekorVerifierKey> FromCertificate(byte[] der, string field)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return FromSpki(certificate.PublicKey.ExportSubjectPublicKeyInfo(), PemEncoding.WriteString("CERTIFICATE", certificate.RawData) + "\n", field);
        }
        catch (CryptographicException e)
        {
            return RekorField.Malformed(field, $"not an X.509 certificate: {e.Message}");
        }
    }

    private static Result<RekorVerifierKey> FromSpki(byte[] spki, string canonicalPem, string field)
    {
        var ed25519 = PublicKey.FromSubjectPublicKeyInfo(spki);
        if (ed25519.IsOk && ed25519.Value.Algorithm == KeyAlgorithm.Ed25519)
            return Result<RekorVerifierKey>.Ok(new RekorVerifierKey(canonicalPem, null, spki[^OpenSslEd25519.PublicKeySize..]));
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportSubjectPublicKeyInfo(spki, out var read);
            var curve = ecdsa.ExportParameters(false).Curve.Oid.Value;
            if (read == spki.Length && curve is "1.2.840.10045.3.1.7" or "1.3.132.0.34" or "1.3.132.0.35")
                return Result<RekorVerifierKey>.Ok(new RekorVerifierKey(canonicalPem, ecdsa, null));
        }
        catch (CryptographicException)
        {
            // Reported below, as any other key Rekor entries here may not name.
        }
        ecdsa.Dispose();
        return RekorField.Malformed(field, "not an ECDSA (P-256, P-384, P-521) or Ed25519 public key");
    }
}
