using System.Text;
using System.Text.Json.Nodes;
using Rollproof.Transparency;

namespace Rollproof.Sigstore.Rekor;

/// <summary>
/// A Rekor v1 <c>LogEntry</c> as the API answers it: an object with one member, the entry ID, holding the body, the
/// log's signed entry timestamp and integrated time, the log ID and index, and an inclusion proof (hex hashes) to the
/// signed checkpoint it was built against. Sigstore clients turn it into a bundle's tlog entry as it is.
/// </summary>
public static class RekorLogEntry
{
    public static JsonObject Create(string entryId, long index, ReadOnlySpan<byte> body, SignedEntryTimestamp timestamp, byte[] logId, IReadOnlyList<byte[]> proof, VerifiedCheckpoint checkpoint) => new()
    {
        [entryId] = new JsonObject
        {
            ["body"] = Convert.ToBase64String(body),
            ["integratedTime"] = timestamp.IntegratedTime,
            ["logID"] = Convert.ToHexStringLower(logId),
            ["logIndex"] = index,
            ["verification"] = new JsonObject
            {
                ["inclusionProof"] = new JsonObject
                {
                    ["checkpoint"] = Encoding.UTF8.GetString(checkpoint.Note.ToBytes()),
                    ["hashes"] = new JsonArray([.. proof.Select(h => (JsonNode)Convert.ToHexStringLower(h))]),
                    ["logIndex"] = index,
                    ["rootHash"] = Convert.ToHexStringLower(checkpoint.Checkpoint.RootHash),
                    ["treeSize"] = checkpoint.Checkpoint.Size,
                },
                ["signedEntryTimestamp"] = Convert.ToBase64String(timestamp.Signature),
            },
        },
    };
}
