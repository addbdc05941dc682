using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Common;

namespace Rollproof.Formats;

/// <summary>One DSSE signature: an optional, unauthenticated key ID hint and the signature bytes.</summary>
public sealed record DsseSignature(string? KeyId, byte[] Sig);

/// <summary>Produces raw signatures over bytes; a file key, a KMS or an HSM behind an external command.</summary>
public interface IBytesSigner
{
    /// <summary>The key ID this signer writes as its DSSE <c>keyid</c> hint.</summary>
    string KeyId { get; }

    byte[] Sign(ReadOnlySpan<byte> data);
}

/// <summary>Checks raw signatures made by one public key.</summary>
public interface IBytesVerifier
{
    string KeyId { get; }

    bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);
}

/// <summary>
/// A DSSE envelope (secure-systems-lab/dsse v1): the payload and its type, signed over the pre-authentication
/// encoding so that a signature for one payload type can never be replayed as another.
/// </summary>
public sealed record DsseEnvelope(string PayloadType, byte[] Payload, IReadOnlyList<DsseSignature> Signatures)
{
    public const int MaxSize = 32 << 20;

    /// <summary>PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body.</summary>
    public static byte[] Pae(string payloadType, ReadOnlySpan<byte> payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} "));
        var pae = new byte[header.Length + type.Length + middle.Length + payload.Length];
        header.CopyTo(pae, 0);
        type.CopyTo(pae, header.Length);
        middle.CopyTo(pae, header.Length + type.Length);
        payload.CopyTo(pae.AsSpan(header.Length + type.Length + middle.Length));
        return pae;
    }

    public static DsseEnvelope Sign(string payloadType, byte[] payload, params IBytesSigner[] signers)
    {
        var pae = Pae(payloadType, payload);
        return new DsseEnvelope(payloadType, payload, [.. signers.Select(s => new DsseSignature(s.KeyId, s.Sign(pae)))]);
    }

    /// <summary>The key IDs of the trusted keys whose signatures verify; a failure when none does.</summary>
    public Result<IReadOnlyList<string>> Verify(IEnumerable<IBytesVerifier> trusted)
    {
        var pae = Pae(PayloadType, Payload);
        var keys = trusted.ToList();
        var verified = new List<string>();
        foreach (var signature in Signatures)
        {
            // The key ID is only a hint: try the hinted key first, but never trust the hint itself.
            var candidates = keys.OrderByDescending(k => k.KeyId == signature.KeyId);
            var key = candidates.FirstOrDefault(k => k.Verify(pae, signature.Sig));
            if (key is not null && !verified.Contains(key.KeyId))
                verified.Add(key.KeyId);
        }
        return verified.Count > 0
            ? Result<IReadOnlyList<string>>.Ok(verified)
            : Result<IReadOnlyList<string>>.Fail(ErrorCodes.EnvelopeSignatureInvalid, $"no signature on the '{PayloadType}' envelope verifies with a trusted key ({Signatures.Count} signature(s), {keys.Count} trusted key(s))");
    }

    public byte[] ToJson()
    {
        var json = new JsonObject
        {
            ["payload"] = Convert.ToBase64String(Payload),
            ["payloadType"] = PayloadType,
            ["signatures"] = new JsonArray([.. Signatures.Select(s => (JsonNode)Signature(s))]),
        };
        return CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(json)).Value;
    }

    public static Result<DsseEnvelope> Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxSize)
            return Fail($"envelope is {json.Length} bytes, more than the {MaxSize}-byte limit");
        try
        {
            using var document = TextJson.Parse(json.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Fail("an envelope is a JSON object");
            if (!root.TryGetProperty("payloadType", out var type) || type.ValueKind != JsonValueKind.String)
                return Fail("'payloadType' is missing or not a string");
            if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.String || !TryBase64(payload.GetString()!, out var payloadBytes))
                return Fail("'payload' is missing or not base64");
            if (!root.TryGetProperty("signatures", out var signatures) || signatures.ValueKind != JsonValueKind.Array || signatures.GetArrayLength() == 0)
                return Fail("'signatures' is missing or empty");
            var parsed = new List<DsseSignature>();
            var index = 0;
            foreach (var signature in signatures.EnumerateArray())
            {
                if (signature.ValueKind != JsonValueKind.Object || !signature.TryGetProperty("sig", out var sig) || sig.ValueKind != JsonValueKind.String || !TryBase64(sig.GetString()!, out var sigBytes))
                    return Fail($"signatures[{index}].sig is missing or not base64");
                var keyId = signature.TryGetProperty("keyid", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
                parsed.Add(new DsseSignature(string.IsNullOrEmpty(keyId) ? null : keyId, sigBytes));
                index++;
            }
            return Result<DsseEnvelope>.Ok(new DsseEnvelope(type.GetString()!, payloadBytes, parsed));
        }
        catch (JsonException e)
        {
            return Fail($"not valid JSON: {e.Message}");
        }
    }

    // DSSE verifiers must accept both standard and URL-safe base64, with or without padding.
    private static bool TryBase64(string text, out byte[] bytes)
    {
        var standard = text.Replace('-', '+').Replace('_', '/');
        standard += new string('=', (4 - (standard.Length % 4)) % 4);
        bytes = new byte[standard.Length / 4 * 3];
        if (!Convert.TryFromBase64String(standard, bytes, out var written))
            return false;
        bytes = bytes[..written];
        return true;
    }

    private static JsonObject Signature(DsseSignature signature)
    {
        var json = new JsonObject { ["sig"] = Convert.ToBase64String(signature.Sig) };
        if (signature.KeyId is not null)
            json["keyid"] = signature.KeyId;
        return json;
    }

    private static Result<DsseEnvelope> Fail(string message) => Result<DsseEnvelope>.Fail(ErrorCodes.EnvelopeMalformed, message);
}
