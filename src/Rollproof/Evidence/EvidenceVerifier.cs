using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Evidence;

/// <summary>
/// Verifies an evidence package offline, with nothing but a trust file: reads the zip (bounded), rebuilds the package
/// from its files, checks it (<see cref="EvidenceChecker"/>), then writes the package again from what verified and
/// requires every file to be byte for byte what it holds, with none missing and none added. The first difference or
/// failure is the answer, naming the file. With a tlog-policy that requires witnesses, the package's checkpoint must
/// also carry the cosignatures its quorum needs.
/// </summary>
public static partial class EvidenceVerifier
{
    public static Result<CheckedChain> Verify(Stream zip, string name, TrustFile trust, TlogPolicy? witnesses = null)
    {
        var files = ZipFiles.Read(zip, name);
        if (!files.IsOk)
            return files.Problem;
        var package = Read(files.Value);
        if (!package.IsOk)
            return package.Problem;
        var chain = EvidenceChecker.Check(package.Value, trust);
        if (!chain.IsOk)
            return chain.Problem;
        var witnessed = witnesses?.Evaluate(package.Value.Checkpoint);
        if (witnessed is { IsOk: false } unwitnessed)
            return unwitnessed.Problem with { Message = $"{EvidenceLayout.CheckpointPath}: does not meet the tlog-policy: {unwitnessed.Problem.Message}" };
        var expected = EvidenceLayout.Files(package.Value, EvidenceSummary.Render(chain.Value));
        foreach (var (path, bytes) in expected)
        {
            if (!files.Value.TryGetValue(path, out var held))
                return Fail(path, "is missing");
            if (!held.AsSpan().SequenceEqual(bytes))
                return Fail(path, "has been changed");
        }
        return files.Value.Keys.FirstOrDefault(p => !expected.ContainsKey(p)) is { } extra ? Fail(extra, "was added: a package holds no such file") : chain;
    }

    private static Result<EvidencePackage> Read(SortedDictionary<string, byte[]> files)
    {
        if (!files.TryGetValue(EvidenceLayout.ManifestPath, out var manifestBytes))
            return Invalid(EvidenceLayout.ManifestPath, "is missing");
        if (!files.TryGetValue(EvidenceLayout.CheckpointPath, out var checkpoint))
            return Invalid(EvidenceLayout.CheckpointPath, "is missing");
        string origin;
        long request;
        try
        {
            using var manifest = TextJson.Parse(manifestBytes);
            var root = manifest.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != EvidenceLayout.Format)
                return Invalid(EvidenceLayout.ManifestPath, $"is not a {EvidenceLayout.Format} manifest");
            if (!root.TryGetProperty("origin", out var o) || o.ValueKind != JsonValueKind.String || !root.TryGetProperty("request", out var q) || q.ValueKind != JsonValueKind.Number || !q.TryGetInt64(out request))
                return Invalid(EvidenceLayout.ManifestPath, "names no origin or request");
            origin = o.GetString()!;
            // The origin names the log's note keys: one that cannot be a key name could never have signed anything.
            if (!NoteKeyId.IsValidName(origin))
                return Invalid(EvidenceLayout.ManifestPath, $"names origin '{origin}', which no log can have (a log's origin has no spaces or '+')");
        }
        catch (JsonException e)
        {
            return Invalid(EvidenceLayout.ManifestPath, $"is not valid JSON: {e.Message}");
        }

        var entries = new Dictionary<(long Index, string Kind), Dictionary<string, byte[]>>();
        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, bytes) in files)
        {
            if (path is EvidenceLayout.ManifestPath or EvidenceLayout.CheckpointPath or EvidenceLayout.SummaryPath)
                continue;
            if (EntryName().Match(path) is { Success: true } entry)
            {
                var key = (long.Parse(entry.Groups[1].Value, CultureInfo.InvariantCulture), entry.Groups[2].Value);
                if (!entries.TryGetValue(key, out var parts))
                    entries[key] = parts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                parts[entry.Groups[3].Value] = bytes;
            }
            else if (BlobName().Match(path) is { Success: true } blob)
            {
                blobs["sha256:" + blob.Groups[1].Value] = bytes;
            }
            else
            {
                return Invalid(path, "was added: a package holds no such file");
            }
        }

        var read = new List<EvidenceEntry>();
        foreach (var ((index, kind), parts) in entries.OrderBy(e => e.Key.Index))
        {
            foreach (var part in new[] { "dsse.json", "tlog-proof" })
                if (!parts.ContainsKey(part))
                    return Invalid(EvidenceLayout.EntryPath(index, kind, "." + part), "is missing");
            var receipt = TlogProof.Parse(parts["tlog-proof"]);
            if (!receipt.IsOk)
                return Invalid(EvidenceLayout.EntryPath(index, kind, ".tlog-proof"), receipt.Problem.Message);
            // No timestamp file: the entry is judged with no time, which only an entry signed by no trusted key survives.
            SignedEntryTimestamp? timestamp = null;
            if (parts.TryGetValue("timestamp.json", out var stamp))
            {
                try
                {
                    timestamp = JsonSerializer.Deserialize<SignedEntryTimestamp>(stamp, PredicateJson.Options);
                }
                catch (JsonException e)
                {
                    return Invalid(EvidenceLayout.EntryPath(index, kind, ".timestamp.json"), $"is not a signed entry timestamp: {e.Message}");
                }
                if (timestamp is null)
                    return Invalid(EvidenceLayout.EntryPath(index, kind, ".timestamp.json"), "is empty");
                if (!timestamp.IsDate)
                    return Invalid(EvidenceLayout.EntryPath(index, kind, ".timestamp.json"), $"integratedTime {timestamp.IntegratedTime} is not a date");
            }
            read.Add(new EvidenceEntry(index, kind, parts["dsse.json"], receipt.Value, timestamp));
        }
        return Result<EvidencePackage>.Ok(new EvidencePackage(origin, checkpoint, request, read, blobs));
    }

    private static Result<CheckedChain> Fail(string path, string message) => Result<CheckedChain>.Fail(ErrorCodes.EvidenceInvalid, $"{path}: {message}");

    private static Result<EvidencePackage> Invalid(string path, string message) => Result<EvidencePackage>.Fail(ErrorCodes.EvidenceInvalid, $"{path}: {message}");

    [GeneratedRegex(@"^entries/(\d{8})-([a-z][a-z-]*)\.(dsse\.json|tlog-proof|timestamp\.json)$")]
    private static partial Regex EntryName();

    [GeneratedRegex("^blobs/sha256/([0-9a-f]{64})$")]
    private static partial Regex BlobName();
}
