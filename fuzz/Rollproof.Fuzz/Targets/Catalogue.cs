using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rollproof.Configuration;
using Rollproof.Evidence;
using Rollproof.Formats;
using Rollproof.Fuzz.Mutations;
using Rollproof.Fuzz.Seeds;
using Rollproof.Releases.Sbom;
using Rollproof.Rollbacks.Policy;
using Rollproof.Rollbacks.Risk;
using Rollproof.Runbooks;
using Rollproof.Signing;
using Rollproof.Transparency;
using Rollproof.Trust;

namespace Rollproof.Fuzz.Targets;

/// <summary>
/// Every parser of outside input, as a fuzz target. Sigstore bundles and trusted roots are written, never read, by
/// Rollproof today, so they have no target yet.
/// </summary>
public static partial class Catalogue
{
    private static readonly Lazy<IReadOnlySet<string>> KnownSteps = new(() =>
        UsesLine().Matches(Encoding.UTF8.GetString(SharedSeeds.Resource("Rollproof.Runbooks.emergency.yaml"))).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal));

    // The bytes a trust-anchors log entry starts with, before the trust file's JSON.
    private static readonly Lazy<byte[]> AnchorsHeader = new(() => TrustAnchors.Entry(TrustFile.Empty)[..^TrustFile.Empty.ToJson().Length]);

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("signed-note", "SignedNote.Parse", InputShape.Lines,
            () => [.. SharedSeeds.VectorStrings("signed-note/vectors.json", "note"), .. SharedSeeds.Vectors("tlog-tiles", "checkpoint*")],
            input => SignedNote.Parse(input)),
        new("checkpoint", "Checkpoint.Open (note, signature, checkpoint body)", InputShape.Lines,
            () => [.. SharedSeeds.Vectors("tlog-tiles", "checkpoint*"), SampleLog.Instance.Checkpoint],
            input => Checkpoint.Open(input, SampleLog.Instance.LogKey)),
        new("note-key", "NoteKeys.ParseVerifierKey, ParseSignerKey", InputShape.Lines,
            () => [.. SharedSeeds.VectorStrings("signed-note/vectors.json", "verifierKey"), .. SharedSeeds.VectorStrings("signed-note/vectors.json", "signerKey"), Encoding.UTF8.GetBytes(SampleLog.LogSignerKey)],
            input => Both(NoteKeys.ParseVerifierKey(Encoding.UTF8.GetString(input)).IsOk, NoteKeys.ParseSignerKey(Encoding.UTF8.GetString(input)).IsOk)),
        new("tlog-tiles", "TileLogAuditor.Verify over a log's resources (checkpoint, tiles, entry bundles) as a zip", InputShape.Zip,
            () => [ZipMutations.Write(Resources(SharedSeeds.VectorTree("tlog-tiles"))), ZipMutations.Write(Resources(SampleLog.Instance.BigLog))],
            AuditLog),
        new("entry-bundle", "EntryBundle.Decode", InputShape.Bytes,
            () => SharedSeeds.Vectors("tlog-tiles/tile/entries"),
            input => Both([.. new[] { 1, 15, 256 }.Select(count => EntryBundle.Decode(input, count, "tile/entries/000.p/n").IsOk)])),
        new("dsse", "DsseEnvelope.Parse, EntryPeek.Of, EvidenceLayout.KindOf", InputShape.Json,
            () => [SharedSeeds.VectorMember("dsse/vectors.json", "envelope"), .. SampleLog.Instance.Envelopes],
            input => Both(DsseEnvelope.Parse(input).IsOk, EntryPeek.Of(input) is not null, EvidenceLayout.KindOf(input).Length > 0)),
        new("statement", "InTotoStatement.Parse", InputShape.Json,
            () => SampleLog.Instance.Statements,
            input => InTotoStatement.Parse(input)),
        new("predicates", "PredicateJson.Read<T> for each of the 11 predicates", InputShape.Json,
            () => SampleLog.Instance.Statements,
            ReadPredicates),
        new("trust-file", "TrustFile.Parse, TrustAnchors.Read", InputShape.Json,
            () => [SampleLog.Instance.Trust.ToJson(), .. SharedSeeds.DocBlocks("json", "\"keys\"")],
            input => Both(TrustFile.Parse(input).IsOk, TrustAnchors.Read([.. AnchorsHeader.Value, .. input]).IsOk)),
        new("policy", "PolicyYaml.Parse", InputShape.Yaml,
            () => SharedSeeds.DocBlocks("yaml", "environment:"),
            input => PolicyYaml.Parse(Encoding.UTF8.GetString(input))),
        new("runbook", "RunbookYaml.Parse", InputShape.Yaml,
            () => [SharedSeeds.Resource("Rollproof.Runbooks.emergency.yaml"), .. SharedSeeds.DocBlocks("yaml", "steps:")],
            input => RunbookYaml.Parse(Encoding.UTF8.GetString(input), KnownSteps.Value)),
        new("config", "ConfigYaml.Parse (rollproof.yaml)", InputShape.Yaml,
            () => SharedSeeds.DocBlocks("yaml", "environments:"),
            input => ConfigYaml.Parse(Encoding.UTF8.GetString(input), "/fuzz/rollproof.yaml")),
        new("sbom", "SbomValidator.Validate (CycloneDX or SPDX), then SbomComponents.Read", InputShape.Json,
            () => SharedSeeds.Vectors("cyclonedx"),
            ValidateSbom),
        new("vulnerability-feed", "VulnerabilityFeed.From (OSV records, CycloneDX VEX)", InputShape.Json,
            FeedSeeds.Files,
            input => VulnerabilityFeed.From(new FeedFiles([("fuzz.json", input)]))),
        new("stored-feed", "VulnerabilityFeed.FromBlob", InputShape.Json,
            FeedSeeds.Blobs,
            input => VulnerabilityFeed.FromBlob(input, "sha256:fuzz")),
        new("receipt", "TlogProof.Parse", InputShape.Lines,
            () => SampleLog.Instance.Receipts,
            input => TlogProof.Parse(input)),
        new("tlog-policy", "TlogPolicy.Parse", InputShape.Lines,
            () => [TlogPolicySeed()],
            input => TlogPolicy.Parse(input)),
        new("add-checkpoint", "Witness.AddCheckpoint (request lines, signed note, checkpoint, consistency)", InputShape.Lines,
            () => [WitnessTarget.Seed()],
            WitnessTarget.Run),
        new("evidence-zip", "EvidenceVerifier.Verify (zip, manifest, receipts, timestamps, chain)", InputShape.Zip,
            () => [SampleLog.Instance.EvidenceZip],
            input => EvidenceVerifier.Verify(new MemoryStream(input), "fuzz.zip", SampleLog.Instance.Trust)),
    ];

    public static FuzzTarget? Named(string name) => All.FirstOrDefault(t => t.Name == name);

    // Results are ignored: only exceptions, time and memory are judged. Reading them keeps the calls from looking dead.
    private static void Both(params bool[] results) => GC.KeepAlive(results);

    // What a reader of the log's latest checkpoint reads: full tiles and bundles, and of the partial ones only the
    // widest of a tile not yet full (a log appended one entry at a time leaves every narrower one behind).
    private static IEnumerable<(string, byte[])> Resources(IReadOnlyDictionary<string, byte[]> log) =>
        log.Where(r => !r.Key.StartsWith("checkpoint.", StringComparison.Ordinal))
            .GroupBy(r => r.Key.Split(".p/")[0])
            .SelectMany(g => g.Any(r => r.Key == g.Key) ? g.Where(r => r.Key == g.Key) : [g.MaxBy(r => int.Parse(r.Key.Split(".p/")[1], System.Globalization.CultureInfo.InvariantCulture))])
            .Select(r => (r.Key, r.Value));

    private static void AuditLog(byte[] input)
    {
        var files = ZipFiles.Read(new MemoryStream(input), "log.zip");
        if (files.IsOk)
            TileLogAuditor.Verify(new MemoryLogStorage(files.Value), SampleLog.Instance.LogKey);
    }

    private static void ReadPredicates(byte[] input)
    {
        var statement = InTotoStatement.Parse(input);
        if (statement.IsOk)
            Both([.. PredicateReader.All.Select(r => r.Read(statement.Value))]);
    }

    private static void ValidateSbom(byte[] input)
    {
        if (!SbomValidator.Validate(input).IsOk)
            return;
        using var bom = JsonDocument.Parse(input);
        GC.KeepAlive(SbomComponents.Read(bom.RootElement));
    }

    private static byte[] TlogPolicySeed()
    {
        var keys = SharedSeeds.VectorStrings("signed-note/vectors.json", "verifierKey").Select(Encoding.UTF8.GetString).ToList();
        return Encoding.UTF8.GetBytes($"""
            # a log and two witnesses
            log {SampleLog.Instance.LogKey.Name}+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx https://log.example/
            witness W1 {keys[0]} https://w1.example/
            witness W2 {keys[1]}
            group both all W1 W2
            group one any W1 W2
            group G 1 both one
            quorum G

            """);
    }

    [GeneratedRegex(@"uses:\s*([\w-]+)")]
    private static partial Regex UsesLine();
}
