using System.Text;
using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Sigstore.Verification;

/// <summary>A bundle's <c>messageSignature</c>: the signature, and the digest it claims to be over when it names one.</summary>
internal sealed record BundleMessageSignature(byte[] Signature, string? DigestAlgorithm, byte[]? Digest);

/// <summary>A bundle's <c>dsseEnvelope</c> with its one signature, and the envelope's JSON exactly as the bundle holds it.</summary>
internal sealed record BundleDsseEnvelope(string PayloadType, byte[] Payload, byte[] Signature, string KeyId, byte[] EnvelopeJson);

/// <summary>
/// A Sigstore bundle parsed from its JSON, with the rules of its version applied: the media type is one of the four
/// Sigstore defines; a v0.1 bundle's log entries carry an inclusion promise and a v0.2+ bundle's an inclusion proof;
/// the single <c>certificate</c> form appears only from v0.3. Nothing here is verified yet.
/// </summary>
internal sealed record BundleDocument(
    string MediaType,
    int MinorVersion,
    byte[]? LeafCertificate,
    IReadOnlyList<byte[]> ChainCertificates,
    IReadOnlyList<JsonElement> TlogEntries,
    IReadOnlyList<byte[]> Rfc3161Timestamps,
    BundleMessageSignature? MessageSignature,
    BundleDsseEnvelope? Dsse)
{
    public const int MaxSize = 16 << 20;
    private const int MaxCertificates = 10;
    private const int MaxCertificateSize = 64 << 10;
    private const int MaxTlogEntries = 16;
    private const int MaxTimestamps = 16;
    private const int MaxTimestampSize = 64 << 10;
    private const int MaxSignatureSize = 16 << 10;

    private static readonly string[] SignerForms = ["publicKey", "x509CertificateChain", "certificate"];

    private static readonly Dictionary<string, int> MediaTypes = new(StringComparer.Ordinal)
    {
        ["application/vnd.dev.sigstore.bundle+json;version=0.1"] = 1,
        ["application/vnd.dev.sigstore.bundle+json;version=0.2"] = 2,
        ["application/vnd.dev.sigstore.bundle+json;version=0.3"] = 3,
        ["application/vnd.dev.sigstore.bundle.v0.3+json"] = 3,
    };

    public static Result<BundleDocument> Parse(byte[] json)
    {
        if (json.Length > MaxSize)
            return Result<BundleDocument>.Fail(ErrorCodes.InputTooLarge, $"the bundle is {json.Length} bytes, more than the {MaxSize}-byte limit");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            return Result<BundleDocument>.Fail(ErrorCodes.BundleMalformed, $"the bundle is not JSON: {e.Message}");
        }
        using (document)
            return Parse(document.RootElement);
    }

    private static Result<BundleDocument> Parse(JsonElement rootElement)
    {
        var root = ProtoJson.Root(rootElement, ErrorCodes.BundleMalformed);
        if (!root.IsOk)
            return root.Problem;
        var mediaType = root.Value.String("mediaType");
        if (!mediaType.IsOk)
            return mediaType.Problem;
        if (!MediaTypes.TryGetValue(mediaType.Value, out var minor))
            return Result<BundleDocument>.Fail(ErrorCodes.BundleMediaTypeUnknown, $"$.mediaType '{Shorten(mediaType.Value)}' is not a Sigstore bundle v0.1, v0.2 or v0.3 media type");
        var material = root.Value.Object("verificationMaterial");
        if (!material.IsOk)
            return material.Problem;
        var signer = ReadSigner(material.Value, minor);
        if (!signer.IsOk)
            return signer.Problem;
        var entries = ReadTlogEntries(material.Value, minor);
        if (!entries.IsOk)
            return entries.Problem;
        var timestamps = ReadTimestamps(material.Value);
        if (!timestamps.IsOk)
            return timestamps.Problem;
        var hasMessage = root.Value.Has("messageSignature");
        if (hasMessage == root.Value.Has("dsseEnvelope"))
            return Result<BundleDocument>.Fail(ErrorCodes.BundleMalformed, "the bundle must hold exactly one of $.messageSignature and $.dsseEnvelope");
        BundleMessageSignature? message = null;
        BundleDsseEnvelope? dsse = null;
        if (hasMessage)
        {
            var read = ReadMessageSignature(root.Value);
            if (!read.IsOk)
                return read.Problem;
            message = read.Value;
        }
        else
        {
            var read = ReadDsse(root.Value);
            if (!read.IsOk)
                return read.Problem;
            dsse = read.Value;
        }
        var (leaf, chain) = signer.Value;
        return Result<BundleDocument>.Ok(new BundleDocument(mediaType.Value, minor, leaf, chain, entries.Value, timestamps.Value, message, dsse));
    }

    // The leaf certificate and the rest of a chain, or neither for a public-key hint.
    private static Result<(byte[]? Leaf, IReadOnlyList<byte[]> Others)> ReadSigner(ProtoJson material, int minor)
    {
        var forms = SignerForms.Count(material.Has);
        if (forms != 1)
            return material.Malformed("", "must hold exactly one of publicKey, x509CertificateChain and certificate");
        if (material.Has("publicKey"))
            return Result<(byte[]?, IReadOnlyList<byte[]>)>.Ok((null, []));
        if (material.Has("certificate"))
        {
            if (minor < 3)
                return Result<(byte[]?, IReadOnlyList<byte[]>)>.Fail(ErrorCodes.BundleVersionRuleBroken, $"$.verificationMaterial.certificate appears in a v0.{minor} bundle; a single certificate is a v0.3 form (v0.1 and v0.2 carry x509CertificateChain)");
            var certificate = material.Object("certificate");
            if (!certificate.IsOk)
                return certificate.Problem;
            var der = certificate.Value.Bytes("rawBytes", MaxCertificateSize);
            return der.IsOk ? Result<(byte[]?, IReadOnlyList<byte[]>)>.Ok((der.Value, [])) : der.Problem;
        }
        var chain = material.Object("x509CertificateChain");
        if (!chain.IsOk)
            return chain.Problem;
        var certificates = chain.Value.List("certificates", MaxCertificates, item => item.Bytes("rawBytes", MaxCertificateSize));
        if (!certificates.IsOk)
            return certificates.Problem;
        if (certificates.Value.Count == 0)
            return chain.Value.Malformed("certificates", "is empty; its first member must be the signing certificate");
        return Result<(byte[]?, IReadOnlyList<byte[]>)>.Ok((certificates.Value[0], certificates.Value.Skip(1).ToList()));
    }

    private static Result<IReadOnlyList<JsonElement>> ReadTlogEntries(ProtoJson material, int minor) =>
        material.List("tlogEntries", MaxTlogEntries, entry =>
        {
            // The version rules: v0.1 bundles predate inclusion proofs; from v0.2 a proof is what makes an entry offline-verifiable.
            if (minor == 1 && !entry.Has("inclusionPromise"))
                return Result<JsonElement>.Fail(ErrorCodes.BundleVersionRuleBroken, $"{entry.Path} has no inclusionPromise, which a v0.1 bundle's entries must carry");
            if (minor >= 2 && !entry.Has("inclusionProof"))
                return Result<JsonElement>.Fail(ErrorCodes.BundleVersionRuleBroken, $"{entry.Path} has no inclusionProof, which a v0.{minor} bundle's entries must carry (an offline verifier cannot ask the log)");
            return Result<JsonElement>.Ok(entry.Element.Clone());
        });

    private static Result<IReadOnlyList<byte[]>> ReadTimestamps(ProtoJson material)
    {
        if (!material.Has("timestampVerificationData"))
            return Result<IReadOnlyList<byte[]>>.Ok([]);
        var data = material.Object("timestampVerificationData");
        if (!data.IsOk)
            return data.Problem;
        return data.Value.List("rfc3161Timestamps", MaxTimestamps, item => item.Bytes("signedTimestamp", MaxTimestampSize));
    }

    private static Result<BundleMessageSignature> ReadMessageSignature(ProtoJson root)
    {
        var message = root.Object("messageSignature");
        if (!message.IsOk)
            return message.Problem;
        var signature = message.Value.Bytes("signature", MaxSignatureSize);
        if (!signature.IsOk)
            return signature.Problem;
        if (!message.Value.Has("messageDigest"))
            return Result<BundleMessageSignature>.Ok(new(signature.Value, null, null));
        var digest = message.Value.Object("messageDigest");
        if (!digest.IsOk)
            return digest.Problem;
        var algorithm = digest.Value.String("algorithm");
        if (!algorithm.IsOk)
            return algorithm.Problem;
        var value = digest.Value.Bytes("digest", 64);
        return value.IsOk ? Result<BundleMessageSignature>.Ok(new(signature.Value, algorithm.Value, value.Value)) : value.Problem;
    }

    private static Result<BundleDsseEnvelope> ReadDsse(ProtoJson root)
    {
        var envelope = root.Object("dsseEnvelope");
        if (!envelope.IsOk)
            return envelope.Problem;
        var payload = envelope.Value.Bytes("payload", MaxSize);
        if (!payload.IsOk)
            return payload.Problem;
        var payloadType = envelope.Value.String("payloadType");
        if (!payloadType.IsOk)
            return payloadType.Problem;
        var signatures = envelope.Value.Array("signatures", MaxTlogEntries);
        if (!signatures.IsOk)
            return signatures.Problem;
        if (signatures.Value.Count != 1)
            return Result<BundleDsseEnvelope>.Fail(ErrorCodes.DsseEnvelopeInvalid, $"$.dsseEnvelope.signatures holds {signatures.Value.Count} signatures; a bundle's envelope must hold exactly one");
        var only = envelope.Value.Item("signatures", 0, signatures.Value[0]);
        if (!only.IsOk)
            return only.Problem;
        var sig = only.Value.Bytes("sig", MaxSignatureSize);
        if (!sig.IsOk)
            return sig.Problem;
        var keyId = only.Value.OptionalString("keyid");
        if (!keyId.IsOk)
            return keyId.Problem;
        var raw = Encoding.UTF8.GetBytes(envelope.Value.Element.GetRawText());
        return Result<BundleDsseEnvelope>.Ok(new(payloadType.Value, payload.Value, sig.Value, keyId.Value, raw));
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
