using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Formats;
using Rollproof.Signing;

namespace Rollproof.Sigstore;

/// <summary>
/// The body Rekor v1 logs for a DSSE envelope (kind <c>dsse</c>, apiVersion <c>0.0.1</c>): the hashes of the envelope
/// and of its payload, and the signature with the key that verifies it, as RFC 8785 canonical JSON. A Sigstore client
/// hashes this body, not the envelope, as the leaf when it checks a bundle's inclusion proof, so a release that gets a
/// bundle has this body appended to the log beside its envelope.
/// </summary>
public static class RekorDsseEntry
{
    public const string Kind = "dsse";
    public const string ApiVersion = "0.0.1";

    /// <param name="envelopeJson">The envelope exactly as logged and stored.</param>
    /// <param name="envelope">That envelope, parsed; Sigstore bundles carry exactly one signature.</param>
    /// <param name="signer">The public key that verifies the signature.</param>
    public static byte[] CanonicalBody(ReadOnlySpan<byte> envelopeJson, DsseEnvelope envelope, PublicKey signer)
    {
        if (envelope.Signatures.Count != 1)
            throw new ArgumentException($"a Sigstore bundle holds a DSSE envelope with one signature, not {envelope.Signatures.Count}", nameof(envelope));
        var body = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = Kind,
            ["spec"] = new JsonObject
            {
                ["envelopeHash"] = Sha256(envelopeJson),
                ["payloadHash"] = Sha256(envelope.Payload),
                ["signatures"] = new JsonArray(new JsonObject
                {
                    ["signature"] = Convert.ToBase64String(envelope.Signatures[0].Sig),
                    // Rekor's verifier field is the PEM public key (or certificate), itself base64-encoded.
                    ["verifier"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(signer.ToPem() + "\n")),
                }),
            },
        };
        return CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(body)).Value;
    }

    private static JsonObject Sha256(ReadOnlySpan<byte> data) => new()
    {
        ["algorithm"] = "sha256",
        ["value"] = Convert.ToHexStringLower(SHA256.HashData(data)),
    };
}
