using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rollproof.Formats;
using Rollproof.Signing;

namespace Rollproof.Testing;

/// <summary>Proposed Rekor entries as Sigstore clients send them, to check and to spoil.</summary>
public static class RekorProposals
{
    public static string Base64Pem(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));

    public static string PemOf(ECDsa key) => PemEncoding.WriteString("PUBLIC KEY", key.ExportSubjectPublicKeyInfo()) + "\n";

    /// <summary>A <c>hashedrekord</c> 0.0.1 proposal: <paramref name="key"/>'s signature over the SHA-256 of <paramref name="artifact"/>.</summary>
    public static JsonObject HashedRekord(ECDsa key, byte[] artifact) => new()
    {
        ["apiVersion"] = "0.0.1",
        ["kind"] = "hashedrekord",
        ["spec"] = new JsonObject
        {
            ["data"] = new JsonObject { ["hash"] = new JsonObject { ["algorithm"] = "sha256", ["value"] = Convert.ToHexStringLower(SHA256.HashData(artifact)) } },
            ["signature"] = new JsonObject
            {
                ["content"] = Convert.ToBase64String(key.SignData(artifact, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
                ["publicKey"] = new JsonObject { ["content"] = Base64Pem(PemOf(key)) },
            },
        },
    };

    /// <summary>A <c>dsse</c> 0.0.1 proposal of <paramref name="envelope"/> (as JSON text) with the verifiers' PEMs.</summary>
    public static JsonObject Dsse(string envelope, params string[] verifierPems) => new()
    {
        ["apiVersion"] = "0.0.1",
        ["kind"] = "dsse",
        ["spec"] = new JsonObject
        {
            ["proposedContent"] = new JsonObject
            {
                ["envelope"] = envelope,
                ["verifiers"] = new JsonArray([.. verifierPems.Select(p => (JsonNode)Base64Pem(p))]),
            },
        },
    };

    public static string Envelope(string payload, params IBytesSigner[] signers) =>
        Encoding.UTF8.GetString(DsseEnvelope.Sign("application/vnd.in-toto+json", Encoding.UTF8.GetBytes(payload), signers).ToJson());

    public static byte[] Bytes(JsonNode proposal) => Encoding.UTF8.GetBytes(proposal.ToJsonString());
}
