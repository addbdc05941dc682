using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Rollproof.Common;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// An RFC 3161 timestamp token from a bundle: its message imprint must be the hash of the content's signature, it
/// must be signed by a timestamp authority the trusted root names (its certificate embedded in the token or not),
/// chaining to that authority's root at the time it states, and that time must lie in the authority's validity.
/// </summary>
internal static class TimestampVerifier
{
    public static Result<DateTimeOffset> Verify(byte[] token, int index, byte[] signature, IReadOnlyList<CertificateAuthority> authorities)
    {
        var where = $"$.verificationMaterial.timestampVerificationData.rfc3161Timestamps[{index}]";
        if (TokenOf(token) is not { } decoded)
            return Result<DateTimeOffset>.Fail(ErrorCodes.TimestampMalformed, $"{where} is not a DER RFC 3161 TimeStampResp granting a timestamp token");
        var info = decoded.TokenInfo;
        var time = info.Timestamp;
        if (!ImprintMatches(info, signature))
            return Result<DateTimeOffset>.Fail(ErrorCodes.TimestampImprintMismatch, $"{where} is over other data: its message imprint is not the hash of the bundle's signature");
        var outside = false;
        foreach (var authority in authorities)
        {
            if (!SignedBy(decoded, signature, authority, time))
                continue;
            if (authority.ValidFor.Contains(time))
                return Result<DateTimeOffset>.Ok(time);
            outside = true;
        }
        return outside
            ? Result<DateTimeOffset>.Fail(ErrorCodes.TimestampOutsideTsaValidity, $"{where} states {time:u}, outside the validity of the timestamp authority that signed it")
            : Result<DateTimeOffset>.Fail(ErrorCodes.TimestampUntrusted, $"{where} is not signed by any timestamp authority in the trusted root{VerifiedAuthority.UnusableAmong(authorities)}");
    }

    // Sigstore carries the whole TimeStampResp (RFC 3161 §2.4.2): a status, then the token when the status is
    // granted (0) or granted with modifications (1).
    private static Rfc3161TimestampToken? TokenOf(byte[] response)
    {
        try
        {
            var reader = new AsnReader(response, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            if (reader.HasData)
                return null;
            var status = sequence.ReadSequence();
            if (!status.TryReadInt32(out var granted) || granted is not (0 or 1))
                return null;
            var token = sequence.ReadEncodedValue();
            return !sequence.HasData && Rfc3161TimestampToken.TryDecode(token, out var decoded, out var read) && read == token.Length ? decoded : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static bool ImprintMatches(Rfc3161TimestampTokenInfo info, byte[] signature)
    {
        var name = SigstoreHashAlgorithms.FromOid(info.HashAlgorithmId.Value ?? "");
        return name is { } hash && CryptographicOperations.FixedTimeEquals(CryptographicOperations.HashData(hash, signature), info.GetMessageHash().Span);
    }

    // .NET checks the token's signature and that its signer was issued for timestamping (its extended key usage
    // critical, RFC 3161 §2.3), not the signature's strength: a SHA-2 digest and a key a certificate could be trusted
    // to sign with, as for the certificates of the path.
    private static bool StronglySigned(Rfc3161TimestampToken token, X509Certificate2 signer) =>
        SigstoreHashAlgorithms.FromOid(token.AsSignedCms().SignerInfos[0].DigestAlgorithm.Value ?? "") is not null
        && IssuerKey.Weakness(signer) is null;

    private static bool SignedBy(Rfc3161TimestampToken token, byte[] signature, CertificateAuthority authority, DateTimeOffset time)
    {
        try
        {
            return token.VerifySignatureForData(signature, out var signer, [.. authority.Chain]) && signer is not null
                && StronglySigned(token, signer)
                && Certificates.ChainsTo(signer, authority, time, out _);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
