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
        var tlogs = ReadLogs(root.Value, "tlogs");
        if (!tlogs.IsOk)
            return tlogs.Problem;
        var ctlogs = ReadLogs(root.Value, "ctlogs");
        if (!ctlogs.IsOk)
            return ctlogs.Problem;
        var cas = ReadAuthorities(root.Value, "certificateAuthorities");
        if (!cas.IsOk)
            return cas.Problem;
        var tsas = ReadAuthorities(root.Value, "timestampAuthorities");
        if (!tsas.IsOk)
            return tsas.Problem;
        return Result<TrustedRootMaterial>.Ok(new(tlogs.Value, ctlogs.Value, cas.Value, tsas.Value));
    }

    private static Result<IReadOnlyList<TransparencyLogInstance>> ReadLogs(ProtoJson root, string member)
    {
        var items = root.Array(member, MaxItems);
        if (!items.IsOk)
            return items.Problem;
        var logs = new List<TransparencyLogInstance>();
        for (var i = 0; i < items.Value.Count; i++)
        {
            var log = root.Item(member, i, items.Value[i]);
            if (!log.IsOk)
                return log.Problem;
            var read = ReadLog(log.Value);
            if (!read.IsOk)
                return read.Problem;
            logs.Add(read.Value);
        }
        return Result<IReadOnlyList<TransparencyLogInstance>>.Ok(logs);
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

    private static Result<IReadOnlyList<CertificateAuthority>> ReadAuthorities(ProtoJson root, string member)
    {
        var items = root.Array(member, MaxItems);
        if (!items.IsOk)
            return items.Problem;
        var authorities = new List<CertificateAuthority>();
        for (var i = 0; i < items.Value.Count; i++)
        {
            var authority = root.Item(member, i, items.Value[i]);
            if (!authority.IsOk)
                return authority.Problem;
            var read = ReadAuthority(authority.Value);
            if (!read.IsOk)
                return read.Problem;
            authorities.Add(read.Value);
        }
        return Result<IReadOnlyList<CertificateAuthority>>.Ok(authorities);
    }

    private static Result<CertificateAuthority> ReadAuthority(ProtoJson authority)
    {
        var uri = authority.OptionalString("uri");
        var chain = authority.Object("certChain");
        var validFor = ReadValidity(authority);
        if (!uri.IsOk || !chain.IsOk || !validFor.IsOk)
            return (uri.Problem ?? chain.Problem ?? validFor.Problem)!;
        var items = chain.Value.Array("certificates", 10);
        if (!items.IsOk)
            return items.Problem;
        if (items.Value.Count == 0)
            return chain.Value.Malformed("certificates", "is empty");
        var certificates = new List<X509Certificate2>();
        for (var i = 0; i < items.Value.Count; i++)
        {
            var item = chain.Value.Item("certificates", i, items.Value[i]);
            var der = item.IsOk ? item.Value.Bytes("rawBytes", 64 << 10) : item.Problem;
            if (!der.IsOk)
                return der.Problem;
            var certificate = Certificates.Load(der.Value);
            if (certificate is null)
                return Result<CertificateAuthority>.Fail(ErrorCodes.SigstoreTrustedRootMalformed, $"{item.Value.Path}.rawBytes is not a DER X.509 certificate");
            certificates.Add(certificate);
        }
        return Result<CertificateAuthority>.Ok(new(uri.Value, certificates, validFor.Value));
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
