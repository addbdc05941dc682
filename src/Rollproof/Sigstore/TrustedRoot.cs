using Rollproof.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Signing;

namespace Rollproof.Sigstore;

/// <summary>
/// A Sigstore <c>trusted_root.json</c> naming one transparency log, ours: its checkpoint key as SPKI, the checkpoint
/// key ID as both log ID and checkpoint key ID (as Rekor v2 logs do, since our checkpoints are C2SP signed notes),
/// and the origin as base URL, which clients match against the checkpoint's signature name. No certificate
/// authority, CT log or timestamp authority: our releases are signed with keys, and timed by the log.
/// </summary>
public static class TrustedRoot
{
    // Written for people to read too: "+" and "/" stay as they are rather than \u escapes.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string MediaType = "application/vnd.dev.sigstore.trustedroot.v0.2+json";

    /// <param name="logKey">The log's checkpoint verifier key (Ed25519 or ECDSA P-256).</param>
    /// <param name="validFrom">When the log began signing with that key.</param>
    public static byte[] Create(INoteVerifier logKey, DateTimeOffset validFrom)
    {
        var (spki, keyDetails) = KeyOf(logKey);
        var logId = Convert.ToBase64String(NoteKeyId.CheckpointKeyId(logKey));
        var root = new JsonObject
        {
            ["mediaType"] = MediaType,
            ["tlogs"] = new JsonArray(new JsonObject
            {
                ["baseUrl"] = logKey.Name,
                ["hashAlgorithm"] = "SHA2_256",
                ["publicKey"] = new JsonObject
                {
                    ["rawBytes"] = Convert.ToBase64String(spki),
                    ["keyDetails"] = keyDetails,
                    ["validFor"] = new JsonObject { ["start"] = validFrom.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) },
                },
                ["logId"] = new JsonObject { ["keyId"] = logId },
                ["checkpointKeyId"] = new JsonObject { ["keyId"] = logId },
            }),
            ["certificateAuthorities"] = new JsonArray(),
            ["ctlogs"] = new JsonArray(),
            ["timestampAuthorities"] = new JsonArray(),
        };
        return JsonSerializer.SerializeToUtf8Bytes(root, Indented);
    }

    /// <summary>The log key as Sigstore names it: its SubjectPublicKeyInfo, and its <c>keyDetails</c>.</summary>
    internal static (byte[] Spki, string KeyDetails) KeyOf(INoteVerifier logKey) => logKey.Type switch
    {
        NoteSignatureType.Ed25519 => (PublicKey.FromEd25519(logKey.PublicKey).SubjectPublicKeyInfo, "PKIX_ED25519"),
        NoteSignatureType.Ecdsa => (logKey.PublicKey, "PKIX_ECDSA_P256_SHA_256"),
        _ => throw new ArgumentException($"{Article.For(logKey.Type.ToString())} key does not sign checkpoints", nameof(logKey)),
    };
}
