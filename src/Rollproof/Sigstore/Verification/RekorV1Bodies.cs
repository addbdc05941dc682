using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Sigstore.Rekor;
using static Rollproof.Sigstore.Verification.TlogBodyFields;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// The bodies Rekor v1 logs (the kinds of <see cref="HashedRekordV001"/> and <see cref="RekorDsseEntry"/>, and
/// in-toto), matched member by member against the bundle's content. Hashes of the whole envelope
/// (<c>envelopeHash</c>, intoto's <c>hash</c>) are of the envelope as first submitted to Rekor, which a bundle does
/// not keep byte for byte, so they are not compared; the signature, signer and payload hash bind the entry.
/// </summary>
internal static class RekorV1Bodies
{
    private const string Spec = "canonicalizedBody.spec";

    public static Problem? HashedRekord(JsonElement specElement, SignedContent content)
    {
        if (content is not MessageSignatureContent message)
            return Mismatch(Spec, "a hashedrekord 0.0.1 entry logs a message signature, but the bundle holds a DSSE envelope");
        var spec = JsonFields.Of(specElement, Spec, "data", "signature");
        var data = spec.IsOk ? spec.Value.Object("data", "hash") : spec.Problem;
        if (!data.IsOk)
            return data.Problem;
        var signature = spec.Value.Object("signature", "content", "publicKey");
        if (!signature.IsOk)
            return signature.Problem;
        var publicKey = signature.Value.Object("publicKey", "content");
        if (!publicKey.IsOk)
            return publicKey.Problem;
        return Sha256Hex(data.Value, "hash", message.ArtifactSha256, "artifact")
            ?? LoggedSignature(signature.Value, "content", content.Signature)
            ?? LoggedPem(publicKey.Value, "content", content.Signer);
    }

    public static Problem? Dsse(JsonElement specElement, SignedContent content)
    {
        if (content is not DsseContent dsse)
            return Mismatch(Spec, "a dsse entry logs a DSSE envelope, but the bundle holds a message signature");
        var spec = JsonFields.Of(specElement, Spec, "envelopeHash", "payloadHash", "signatures");
        if (!spec.IsOk)
            return spec.Problem;
        var signature = OnlySignature(spec.Value, "signatures", "signature", "verifier");
        if (!signature.IsOk)
            return signature.Problem;
        return Sha256Hex(spec.Value, "payloadHash", SHA256.HashData(dsse.Payload), "DSSE payload")
            ?? LoggedSignature(signature.Value, "signature", content.Signature)
            ?? LoggedPem(signature.Value, "verifier", content.Signer);
    }

    /// <summary>intoto 0.0.1 logs no signature: the payload hash and the signer's key bind it.</summary>
    public static Problem? IntotoV001(JsonElement specElement, SignedContent content)
    {
        if (content is not DsseContent dsse)
            return Mismatch(Spec, "an intoto entry logs a DSSE envelope, but the bundle holds a message signature");
        var spec = JsonFields.Of(specElement, Spec, "content", "publicKey");
        var logged = spec.IsOk ? spec.Value.Object("content", "hash", "payloadHash") : spec.Problem;
        if (!logged.IsOk)
            return logged.Problem;
        return Sha256Hex(logged.Value, "payloadHash", SHA256.HashData(dsse.Payload), "DSSE payload")
            ?? LoggedPem(spec.Value, "publicKey", content.Signer);
    }

    /// <summary>intoto 0.0.2 logs the envelope (payload and each signature base64-encoded twice) with its key.</summary>
    public static Problem? IntotoV002(JsonElement specElement, SignedContent content)
    {
        if (content is not DsseContent dsse)
            return Mismatch(Spec, "an intoto entry logs a DSSE envelope, but the bundle holds a message signature");
        var spec = JsonFields.Of(specElement, Spec, "content");
        var logged = spec.IsOk ? spec.Value.Object("content", "envelope", "hash", "payloadHash") : spec.Problem;
        var envelope = logged.IsOk ? logged.Value.Object("envelope", "payload", "payloadType", "signatures") : logged.Problem;
        if (!envelope.IsOk)
            return envelope.Problem;
        var payloadType = envelope.Value.String("payloadType");
        if (!payloadType.IsOk)
            return payloadType.Problem;
        if (payloadType.Value != dsse.PayloadType)
            return Mismatch(envelope.Value.PathOf("payloadType"), $"'{payloadType.Value}' is not the bundle's payload type '{dsse.PayloadType}'");
        var signature = OnlySignature(envelope.Value, "signatures", "keyid", "publicKey", "sig");
        if (!signature.IsOk)
            return signature.Problem;
        // Rekor keeps the envelope's base64 signature text, base64-encoded once more.
        var sig = Base64(signature.Value, "sig");
        if (!sig.IsOk)
            return sig.Problem;
        return Sha256Hex(logged.Value, "payloadHash", SHA256.HashData(dsse.Payload), "DSSE payload")
            ?? SameBytes(sig.Value, Encoding.ASCII.GetBytes(Convert.ToBase64String(content.Signature)), signature.Value.PathOf("sig"), "DSSE signature")
            ?? LoggedPem(signature.Value, "publicKey", content.Signer);
    }

    private static Problem? LoggedSignature(JsonFields parent, string member, byte[] expected)
    {
        var logged = Base64(parent, member);
        return logged.IsOk ? SameBytes(logged.Value, expected, parent.PathOf(member), "signature") : logged.Problem;
    }

    /// <summary>A bundle's envelope has one signature, so the entry must log exactly one.</summary>
    internal static Result<JsonFields> OnlySignature(JsonFields parent, string member, params string[] members)
    {
        var items = parent.Array(member, 16);
        if (!items.IsOk)
            return items.Problem;
        if (items.Value.Count != 1)
            return Mismatch(parent.PathOf(member), $"logs {items.Value.Count} signatures, but the bundle's envelope has one");
        return JsonFields.Of(items.Value[0], $"{parent.PathOf(member)}[0]", members);
    }
}
