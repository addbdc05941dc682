using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// A certificate authority or timestamp authority a trusted root names: its chain, issuing certificate first and root
/// last, and the window in which it may be relied on.
/// </summary>
public sealed record CertificateAuthority(string Uri, IReadOnlyList<X509Certificate2> Chain, ValidityPeriod ValidFor)
{
    public X509Certificate2 Root => Chain[^1];
}

/// <summary>
/// What a Sigstore <c>trusted_root.json</c> (<c>dev.sigstore.trustroot.v1.TrustedRoot</c>) says may be trusted, and
/// when: transparency logs, certificate-transparency logs, certificate authorities and timestamp authorities. A log
/// whose key has no validity start is refused, since nothing can be said about when it was trusted.
/// </summary>
public sealed record TrustedRootMaterial(
    IReadOnlyList<TransparencyLogInstance> Tlogs,
    IReadOnlyList<TransparencyLogInstance> Ctlogs,
    IReadOnlyList<CertificateAuthority> CertificateAuthorities,
    IReadOnlyList<CertificateAuthority> TimestampAuthorities)
{
    public const int MaxSize = 1 << 20;
    private const int MaxItems = 64;
    private const int MaxKeySize = 16 << 10;

    public static Result<TrustedRootMaterial> Parse(byte[] json)
    {
        if (json.Length > MaxSize)
            return Result<TrustedRootMaterial>.Fail(ErrorCodes.InputTooLarge, $"the trusted root is {json.Length} bytes, more than the {MaxSize}-byte limit");
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            return Parse(document.RootElement);
        }
        catch (JsonException e)
        {
            return Result<TrustedRootMaterial>.Fail(ErrorCodes.SigstoreTrustedRootMalformed, $"the trusted root is not JSON: {e.Message}");
        }
    }

    private static Result<TrustedRootMaterial> Parse(JsonElement element)
    {
        var root = ProtoJson.Root(element, ErrorCodes.SigstoreTrustedRootMalformed);
        if (!root.IsOk)
            return root.Problem;
        var tlogs = root.Value.List("tlogs", MaxItems, ReadLog);
        if (!tlogs.IsOk)
            return tlogs.Problem;
        var ctlogs = root.Value.List("ctlogs", MaxItems, ReadLog);
        if (!ctlogs.IsOk)
            return ctlogs.Problem;
        var cas = root.Value.List("certificateAuthorities", MaxItems, ReadAuthority);
        if (!cas.IsOk)
            return cas.Problem;
        var tsas = root.Value.List("timestampAuthorities", MaxItems, ReadAuthority);
        if (!tsas.IsOk)
            return tsas.Problem;
        return Result<TrustedRootMaterial>.Ok(new(tlogs.Value, ctlogs.Value, cas.Value, tsas.Value));
    }

    private static Result<TransparencyLogInstance> ReadLog(ProtoJson log)
    {
        var baseUrl = log.OptionalString("baseUrl");
        var hash = log.OptionalString("hashAlgorithm");
        var key = log.Object("publicKey");
        if (!baseUrl.IsOk || !hash.IsOk || !key.IsOk)
            return (baseUrl.Problem ?? hash.Problem ?? key.Problem)!;
        var raw = key.Value.Bytes("rawBytes", MaxKeySize);
        var details = key.Value.String("keyDetails");
        var validFor = ReadValidity(key.Value);
        var logId = log.Object("logId");
        if (!raw.IsOk || !details.IsOk || !validFor.IsOk || !logId.IsOk)
            return (raw.Problem ?? details.Problem ?? validFor.Problem ?? logId.Problem)!;
        if (validFor.Value.Start is null)
            return Result<TransparencyLogInstance>.Fail(ErrorCodes.SigstoreTrustedRootMalformed, $"{key.Value.Path}.validFor has no start: a log key with no known start of trust is refused");
        var id = logId.Value.Bytes("keyId", 64);
        if (!id.IsOk)
            return id.Problem;
        byte[]? checkpointKeyId = null;
        if (log.Has("checkpointKeyId"))
        {
            var checkpoint = log.Object("checkpointKeyId");
            var checkpointId = checkpoint.IsOk ? checkpoint.Value.Bytes("keyId", 64) : checkpoint.Problem;
            if (!checkpointId.IsOk)
                return checkpointId.Problem;
            checkpointKeyId = checkpointId.Value;
        }
        var spki = SpkiOf(raw.Value, details.Value);
        if (!spki.IsOk)
            return Result<TransparencyLogInstance>.Fail(ErrorCodes.SigstoreTrustedRootMalformed, $"{key.Value.Path}.rawBytes: {spki.Problem.Message}");
        return Result<TransparencyLogInstance>.Ok(new(baseUrl.Value, hash.Value, spki.Value, details.Value, validFor.Value, id.Value, checkpointKeyId));
    }

    // PKCS1_* key details carry an RSAPublicKey rather than a SubjectPublicKeyInfo; every consumer gets SPKI.
    private static Result<byte[]> SpkiOf(byte[] raw, string keyDetails)
    {
        if (!keyDetails.StartsWith("PKCS1_", StringComparison.Ordinal))
            return Result<byte[]>.Ok(raw);
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportRSAPublicKey(raw, out var read);
            return read == raw.Length ? Result<byte[]>.Ok(rsa.ExportSubjectPublicKeyInfo()) : Result<byte[]>.Fail(ErrorCodes.SigstoreTrustedRootMalformed, "trailing bytes after the RSA public key");
        }
        catch (CryptographicException e)
        {
            return Result<byte[]>.Fail(ErrorCodes.SigstoreTrustedRootMalformed, $"not an RSA public key: {e.Message}");
        }
    }

    private static Result<CertificateAuthority> ReadAuthority(ProtoJson authority)
    {
        var uri = authority.OptionalString("uri");
        var chain = authority.Object("certChain");
        var validFor = ReadValidity(authority);
        if (!uri.IsOk || !chain.IsOk || !validFor.IsOk)
            return (uri.Problem ?? chain.Problem ?? validFor.Problem)!;
        var certificates = chain.Value.List("certificates", 10, ReadCertificate);
        if (!certificates.IsOk)
            return certificates.Problem;
        if (certificates.Value.Count == 0)
            return chain.Value.Malformed("certificates", "is empty");
        return Result<CertificateAuthority>.Ok(new(uri.Value, certificates.Value, validFor.Value));
    }

    private static Result<X509Certificate2> ReadCertificate(ProtoJson item)
    {
        var der = item.Bytes("rawBytes", 64 << 10);
        if (!der.IsOk)
            return der.Problem;
        return Certificates.Load(der.Value) is { } certificate
            ? Result<X509Certificate2>.Ok(certificate)
            : Result<X509Certificate2>.Fail(ErrorCodes.SigstoreTrustedRootMalformed, $"{item.Path}.rawBytes is not a DER X.509 certificate");
    }

    private static Result<ValidityPeriod> ReadValidity(ProtoJson holder)
    {
        if (!holder.Has("validFor"))
            return Result<ValidityPeriod>.Ok(new ValidityPeriod(null, null));
        var validFor = holder.Object("validFor");
        if (!validFor.IsOk)
            return validFor.Problem;
        var start = validFor.Value.OptionalTime("start");
        var end = validFor.Value.OptionalTime("end");
        if (!start.IsOk || !end.IsOk)
            return (start.Problem ?? end.Problem)!;
        return Result<ValidityPeriod>.Ok(new ValidityPeriod(start.Value, end.Value));
    }
}
