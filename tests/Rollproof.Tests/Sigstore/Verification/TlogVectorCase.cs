using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Sigstore.Verification;
using Rollproof.Testing;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// One folder of ../shared/testvectors/sigstore-bundles read just far enough to call <see cref="TlogEntryVerifier"/>:
/// the content as the bundle states it (its signature is not checked here), the trusted root's tlogs, and the times
/// of its RFC 3161 timestamps (decoded, not verified: that is the bundle verifier's part). Both documents are
/// <see cref="JsonNode"/>s, so a test can tamper with them first.
/// </summary>
internal sealed class TlogVectorCase
{
    private TlogVectorCase(string folder)
    {
        Folder = SharedFiles.Vector("sigstore-bundles", folder);
        Bundle = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "bundle.sigstore.json")))!.AsObject();
        TrustedRoot = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "trusted_root.json")))!.AsObject();
    }

    public string Folder { get; }

    public JsonObject Bundle { get; }

    public JsonObject TrustedRoot { get; }

    public JsonObject Entry => Bundle["verificationMaterial"]!["tlogEntries"]![0]!.AsObject();

    public static TlogVectorCase Load(string folder) => new(folder);

    public Result<VerifiedTlogEntry> Verify(DateTimeOffset? now = null, IReadOnlyList<DateTimeOffset>? timestampTimes = null) =>
        TlogEntryVerifier.Verify(JsonSerializer.SerializeToElement(Entry), Content(), Tlogs(), timestampTimes ?? TimestampTimes(), now ?? DateTimeOffset.UtcNow);

    public SignedContent Content()
    {
        var signer = Signer();
        if (Bundle["messageSignature"] is JsonObject message)
            return new MessageSignatureContent(signer, Bytes(message["signature"]), SHA256.HashData(File.ReadAllBytes(Artifact())));
        var envelope = Bundle["dsseEnvelope"]!.AsObject();
        var signature = envelope["signatures"]![0]!;
        return new DsseContent(signer, Bytes(signature["sig"]), (string)envelope["payloadType"]!, Bytes(envelope["payload"]), (string?)signature["keyid"] ?? "", JsonSerializer.SerializeToUtf8Bytes(envelope));
    }

    public IReadOnlyList<TransparencyLogInstance> Tlogs() => [.. TrustedRoot["tlogs"]!.AsArray().Select(t => new TransparencyLogInstance(
        (string)t!["baseUrl"]!,
        (string)t["hashAlgorithm"]!,
        Bytes(t["publicKey"]!["rawBytes"]),
        (string)t["publicKey"]!["keyDetails"]!,
        new ValidityPeriod(Time(t["publicKey"]!["validFor"]?["start"]), Time(t["publicKey"]!["validFor"]?["end"])),
        Bytes(t["logId"]!["keyId"]),
        t["checkpointKeyId"] is { } checkpointKeyId ? Bytes(checkpointKeyId["keyId"]) : null))];

    public IReadOnlyList<DateTimeOffset> TimestampTimes()
    {
        var timestamps = Bundle["verificationMaterial"]!["timestampVerificationData"]?["rfc3161Timestamps"]?.AsArray() ?? [];
        return [.. timestamps.Select(t => Rfc3161TimestampToken.TryDecode(TokenOf(Bytes(t!["signedTimestamp"])), out var token, out _)
            ? token!.TokenInfo.Timestamp
            : throw new InvalidDataException($"{Folder}: a timestamp that does not decode"))];
    }

    /// <summary>A bundle holds the whole TimeStampResp: its status, then the token.</summary>
    private static byte[] TokenOf(byte[] response)
    {
        var sequence = new AsnReader(response, AsnEncodingRules.DER).ReadSequence();
        sequence.ReadEncodedValue();
        return sequence.ReadEncodedValue().ToArray();
    }

    public static byte[] Bytes(JsonNode? node) => Convert.FromBase64String((string)node!);

    private SignerMaterial Signer()
    {
        var material = Bundle["verificationMaterial"]!;
        if (material["publicKey"] is not null)
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(Path.Combine(Folder, "key.pub")));
            return new SignerMaterial(null, key.ExportSubjectPublicKeyInfo());
        }
        var certificate = material["certificate"] ?? material["x509CertificateChain"]!["certificates"]![0];
        return new SignerMaterial(Bytes(certificate!["rawBytes"]), null);
    }

    private string Artifact()
    {
        var own = Path.Combine(Folder, "artifact");
        return File.Exists(own) ? own : SharedFiles.Vector("sigstore-bundles", "a.txt");
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is null ? null : DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
