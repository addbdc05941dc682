using System.Security.Cryptography;
using Rollproof.Evidence;
using Rollproof.Formats;
using Rollproof.Fuzz.Targets;
using Rollproof.Ledger;
using Rollproof.Signing;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Fuzz.Seeds;

/// <summary>
/// Inputs the code itself writes, built the same way on every run (fixed keys, a fixed clock; Ed25519 signs
/// deterministically) so that (target, seed, iteration) names one input for ever: one signed statement of every
/// kind appended to a log with signed entry timestamps, their receipts, the trust file that trusts their signer, the
/// evidence package of the request among them, and a second log of 600 small entries (full tiles, a level-1 tile).
/// </summary>
internal sealed class SampleLog
{
    // The shared tlog-tiles vectors' log key (public in ../shared/testvectors/README.md), and a statement key made
    // from fixed bytes: keys for sample data only.
    public const string LogSignerKey = "PRIVATE+KEY+example.com/log/testdata+33d7b496+AeymY/SZAX0jZcJ8enZ5FY1Dz+wTML2yWSkK+9DSF3eg";
    private static readonly byte[] Ed25519Pkcs8Prefix = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
    private static readonly Lazy<SampleLog> Built = new(Build);

    public static SampleLog Instance => Built.Value;

    public required INoteVerifier LogKey { get; init; }
    public required IReadOnlyList<byte[]> Statements { get; init; }
    public required IReadOnlyList<byte[]> Envelopes { get; init; }
    public required IReadOnlyList<byte[]> Receipts { get; init; }
    public required byte[] Checkpoint { get; init; }
    public required TrustFile Trust { get; init; }
    public required byte[] EvidenceZip { get; init; }
    public required IReadOnlyDictionary<string, byte[]> BigLog { get; init; }

    private static SampleLog Build()
    {
        var logSigner = NoteKeys.ParseSignerKey(LogSignerKey).Value;
        var logKey = NoteKeys.ParseVerifierKey(logSigner.VerifierKey).Value;
        using var statementKey = PrivateKey.FromPem(PemEncoding.WriteString("PRIVATE KEY", [.. Ed25519Pkcs8Prefix, .. Enumerable.Range(1, 32).Select(i => (byte)i)]), default).Value;
        var trust = TrustFile.Empty
            .With(new TrustedKey("fuzz-signer", statementKey.PublicKey, PredicateReader.All.Select(r => r.Kind).ToHashSet(StringComparer.Ordinal), SampleValues.Time.AddYears(-1), null))
            .With(new TrustedKey("fuzz-log", LogPublicKeys.ToPublicKey(logKey), new HashSet<string>([LogPublicKeys.Kind], StringComparer.Ordinal), SampleValues.Time.AddYears(-1), null));

        var statements = PredicateReader.All
            .Select(r => new InTotoStatement([new Subject("app.tar.gz", new Dictionary<string, string> { ["sha256"] = SampleValues.Text[7..] })], r.PredicateType, r.Sample()))
            .ToList();
        var envelopes = statements.Select(s => s.Sign(statementKey).ToJson()).ToList();
        var (storage, stamps) = Append(logSigner, envelopes);
        var checkpoint = storage.Read(TilePath.Checkpoint)!;
        var proofs = new ProofBuilder(new TileNodeSource(storage, envelopes.Count));
        var receipts = Enumerable.Range(0, envelopes.Count).Select(i => new TlogProof(i, proofs.Inclusion(i, envelopes.Count).Value, checkpoint)).ToList();

        var entries = envelopes.Select((e, i) => new EvidenceEntry(i, EvidenceLayout.KindOf(e), e, receipts[i], stamps[i])).ToList();
        var request = statements.FindIndex(s => s.PredicateType == StatementKinds.PredicateType(StatementKinds.RollbackRequest));
        var package = new EvidencePackage(logSigner.Name, checkpoint, request, entries, new Dictionary<string, byte[]> { [SampleValues.Text] = SampleValues.Document });
        var chain = EvidenceChecker.Check(package, trust);
        using var zip = new MemoryStream();
        ZipFiles.Write(zip, EvidenceLayout.Files(package, chain.IsOk ? EvidenceSummary.Render(chain.Value) : "the sample chain does not verify: " + chain.Problem.Message));

        return new SampleLog
        {
            LogKey = logKey,
            Statements = [.. statements.Select(s => s.ToCanonicalJson())],
            Envelopes = envelopes,
            Receipts = [.. receipts.Select(r => System.Text.Encoding.UTF8.GetBytes(r.Format()))],
            Checkpoint = checkpoint,
            Trust = trust,
            EvidenceZip = zip.ToArray(),
            BigLog = Append(logSigner, [.. Enumerable.Range(0, 600).Select(TestLogs.Entry)]).Storage.Resources,
        };
    }

    private static (MemoryLogStorage Storage, List<SignedEntryTimestamp> Stamps) Append(INoteSigner logSigner, IReadOnlyList<byte[]> entries)
    {
        var storage = new MemoryLogStorage();
        _ = LogWriter.Create(storage, logSigner).Value;
        var stamps = new List<SignedEntryTimestamp>();
        var writer = LogWriter.Open(storage, logSigner, clock: new FixedClock(SampleValues.Time.AddDays(1))).Value;
        try
        {
            // One at a time: the same batches, so the same tiles and checkpoint, on every run.
            foreach (var entry in entries)
                stamps.Add(writer.AppendWithTimestampAsync(entry).GetAwaiter().GetResult().Timestamp);
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return (storage, stamps);
    }
}
