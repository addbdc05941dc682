using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Formats;
using Rollproof.Transparency;

namespace Rollproof.Sigstore;

/// <summary>
/// A Sigstore bundle v0.3 for a release envelope, so that Sigstore clients verify our releases offline against our
/// log's <see cref="TrustedRoot"/>: the envelope as <c>dsseEnvelope</c>, the signing key by hint (key-based signing,
/// no certificate), and one <c>dsse</c> transparency-log entry carrying the log's signed entry timestamp (the
/// <c>inclusionPromise</c>, whose <c>integratedTime</c> is the bundle's verified time) and an inclusion proof with
/// the signed checkpoint it leads to. 64-bit integers are strings, as protobuf's JSON mapping writes them.
/// </summary>
public static class SigstoreBundle
{
    // Written for people to read too: "+" and "/" stay as they are rather than \u escapes.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string MediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <param name="envelope">The signed release envelope.</param>
    /// <param name="keyHint">The signer's key ID, by which a verifier looks up the public key.</param>
    /// <param name="entry">The logged <see cref="RekorDsseEntry"/> body of that envelope.</param>
    /// <param name="timestamp">The log's signed entry timestamp for that body.</param>
    /// <param name="inclusion">The body's inclusion proof and the signed checkpoint it leads to.</param>
    /// <param name="checkpoint">That checkpoint, parsed.</param>
    /// <param name="logId">The log's checkpoint key ID (<see cref="Signing.NoteKeyId.CheckpointKeyId"/>).</param>
    public static byte[] Create(DsseEnvelope envelope, string keyHint, byte[] entry, SignedEntryTimestamp timestamp, TlogProof inclusion, Checkpoint checkpoint, byte[] logId)
    {
        var index = inclusion.Index.ToString(CultureInfo.InvariantCulture);
        var tlogEntry = new JsonObject
        {
            ["logIndex"] = index,
            ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(logId) },
            ["kindVersion"] = new JsonObject { ["kind"] = RekorDsseEntry.Kind, ["version"] = RekorDsseEntry.ApiVersion },
            ["integratedTime"] = timestamp.IntegratedTime.ToString(CultureInfo.InvariantCulture),
            ["inclusionPromise"] = new JsonObject { ["signedEntryTimestamp"] = Convert.ToBase64String(timestamp.Signature) },
            ["inclusionProof"] = new JsonObject
            {
                ["logIndex"] = index,
                ["rootHash"] = Convert.ToBase64String(checkpoint.RootHash),
                ["treeSize"] = checkpoint.Size.ToString(CultureInfo.InvariantCulture),
                ["hashes"] = new JsonArray([.. inclusion.InclusionProof.Select(h => (JsonNode)Convert.ToBase64String(h))]),
                ["checkpoint"] = new JsonObject { ["envelope"] = Encoding.UTF8.GetString(inclusion.SignedCheckpoint) },
            },
            ["canonicalizedBody"] = Convert.ToBase64String(entry),
        };
        var bundle = new JsonObject
        {
            ["mediaType"] = MediaType,
            ["verificationMaterial"] = new JsonObject
            {
                ["publicKey"] = new JsonObject { ["hint"] = keyHint },
                ["tlogEntries"] = new JsonArray(tlogEntry),
            },
            ["dsseEnvelope"] = new JsonObject
            {
                ["payload"] = Convert.ToBase64String(envelope.Payload),
                ["payloadType"] = envelope.PayloadType,
                ["signatures"] = new JsonArray(new JsonObject
                {
                    ["sig"] = Convert.ToBase64String(envelope.Signatures[0].Sig),
                    ["keyid"] = keyHint,
                }),
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(bundle, Indented);
    }
}
