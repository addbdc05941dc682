using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Storage;

namespace Rollproof.Evidence;

/// <summary>
/// The files of an evidence package and their names: <c>checkpoint</c>; per statement
/// <c>entries/INDEX-KIND.dsse.json</c>, <c>.tlog-proof</c> and, if the log has one, <c>.timestamp.json</c>; <c>blobs/sha256/HEX</c>;
/// <c>manifest.json</c> listing every other file with its SHA-256; and <c>summary.md</c> for people. The manifest
/// and summary are functions of the rest, so a verifier rebuilds them and compares bytes: nothing in a package can
/// change, appear or disappear unnoticed.
/// </summary>
public static partial class EvidenceLayout
{
    public const string Format = "rollproof-evidence/v2";
    public const string ManifestPath = "manifest.json";
    public const string SummaryPath = "summary.md";
    public const string CheckpointPath = "checkpoint";

    public static string EntryPath(long index, string kind, string extension) => $"entries/{index.ToString("D8", CultureInfo.InvariantCulture)}-{kind}{extension}";

    /// <summary>
    /// The kind an entry's files are named by: its Rollproof kind, or <c>other</c> for an entry that is not a DSSE
    /// in-toto statement or whose kind is not one a file name can hold. Read before any signature is checked: it only
    /// names files, and the checker derives it again from the same bytes.
    /// </summary>
    public static string KindOf(byte[] envelope)
    {
        var parsed = DsseEnvelope.Parse(envelope);
        var statement = parsed.IsOk ? InTotoStatement.FromEnvelope(parsed.Value) : parsed.Problem;
        return statement.IsOk && StatementKinds.KindOf(statement.Value.PredicateType) is { } kind && NameableKind().IsMatch(kind) ? kind : LedgerEntry.OtherKind;
    }

    public static string BlobPath(string digest) => $"blobs/sha256/{Sha256Digest.Parse(digest).Value.Hex}";

    /// <summary>Every file of the package, by path, in ordinal order; <paramref name="summary"/> is the text for people.</summary>
    public static SortedDictionary<string, byte[]> Files(EvidencePackage package, string summary)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal) { [CheckpointPath] = package.Checkpoint };
        foreach (var entry in package.Entries)
        {
            files[EntryPath(entry.Index, entry.Kind, ".dsse.json")] = entry.Envelope;
            files[EntryPath(entry.Index, entry.Kind, ".tlog-proof")] = Encoding.UTF8.GetBytes(entry.Receipt.Format());
            if (entry.Timestamp is { } timestamp)
                files[EntryPath(entry.Index, entry.Kind, ".timestamp.json")] = JsonSerializer.SerializeToUtf8Bytes(timestamp, PredicateJson.Options);
        }
        foreach (var (digest, bytes) in package.Blobs)
            files[BlobPath(digest)] = bytes;
        files[SummaryPath] = Encoding.UTF8.GetBytes(summary);
        files[ManifestPath] = Manifest(package, files);
        return files;
    }

    private static byte[] Manifest(EvidencePackage package, SortedDictionary<string, byte[]> files)
    {
        var manifest = new JsonObject
        {
            ["format"] = Format,
            ["origin"] = package.Origin,
            ["request"] = package.Request,
            ["files"] = new JsonArray([.. files.Select(f => (JsonNode)new JsonObject { ["path"] = f.Key, ["sha256"] = Sha256Digest.Of(f.Value).Hex })]),
        };
        return CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(manifest)).Value;
    }

    [GeneratedRegex("^[a-z][a-z-]{0,63}$")]
    private static partial Regex NameableKind();
}
