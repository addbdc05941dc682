using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Sigstore.Rekor;

namespace Rollproof.Sigstore;

/// <summary>
/// The body Rekor v1 logs for a DSSE envelope (kind <c>dsse</c>, apiVersion <c>0.0.1</c>): the hashes of the envelope
/// and of its payload, and each signature with the key that verifies it, as RFC 8785 canonical JSON. A Sigstore client
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
        return CanonicalBody(envelopeJson, envelope.Payload, [(envelope.Signatures[0].Sig, RekorVerifierKey.LoggedFormOf(signer))]);
    }

    /// <summary>
    /// The body for an envelope whose every signature was verified, each with the verifier (base64 of its PEM) that
    /// verified it. Signatures are ordered by their base64 text, as Rekor orders them, so the body does not depend on
    /// the envelope's order; a signature repeated in the envelope is logged once.
    /// </summary>
    internal static byte[] CanonicalBody(ReadOnlySpan<byte> envelopeJson, ReadOnlySpan<byte> payload, IEnumerable<(byte[] Signature, string Verifier)> signatures)
    {
        var ordered = signatures
            .Select(s => (Signature: Convert.ToBase64String(s.Signature), s.Verifier))
            .DistinctBy(s => s.Signature)
            .OrderBy(s => s.Signature, StringComparer.Ordinal);
        var body = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = Kind,
            ["spec"] = new JsonObject
            {
                ["envelopeHash"] = Sha256(envelopeJson),
                ["payloadHash"] = Sha256(payload),
                ["signatures"] = new JsonArray([.. ordered.Select(s => (JsonNode)new JsonObject { ["signature"] = s.Signature, ["verifier"] = s.Verifier })]),
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
