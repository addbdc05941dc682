using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Cli.Commands.Demo;

/// <summary>
/// A guided walk through the transparency log on local files: append release records, prove inclusion and
/// consistency, have a witness cosign under a policy, issue an offline receipt, and catch tampering.
/// </summary>
internal static class LogWalkthroughCommand
{
    public static Command Create(CliContext cli)
    {
        var dir = new Option<string?>("--dir") { Description = "Where to build the demo log (default: a new folder under ./.demo)" };
        var entries = new Option<int>("--entries") { Description = "How many release records to log", DefaultValueFactory = _ => 1000 };
        entries.Validators.Add(r =>
        {
            if (r.Tokens is [var t] && int.TryParse(t.Value, out var n) && n is < 2 or > 1_000_000)
                r.AddError("--entries must be between 2 and 1,000,000");
        });
        var json = CommonOptions.Json();
        var command = new Command("log", "Walk through the log end to end on local files: append, checkpoint, prove, witness, receipt, tamper detection.")
        {
            dir, entries, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var root = parse.GetValue(dir) ?? Path.Combine(".demo", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));
            if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
                return cli.Fail(ErrorCodes.LogAlreadyInitialised, $"'{root}' is not empty: give a new --dir", parse.GetValue(json));
            return await new Walkthrough(cli, Path.GetFullPath(root), parse.GetValue(json)).RunAsync(parse.GetValue(entries));
        });
        return command;
    }

    private sealed class Walkthrough(CliContext cli, string root, bool json)
    {
        private const string Origin = "demo.rollproof.example/releases";
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<object> _timeline = [];

        public async Task<int> RunAsync(int count)
        {
            var logDir = Path.Combine(root, "log");
            var keyFile = Path.Combine(root, "log.key");
            Directory.CreateDirectory(root);
            var signer = NoteKeys.GenerateEd25519(Origin);
            SecretFile.WriteNew(keyFile, signer.SignerKey);
            var log = LogDirectory.Init(logDir, Origin, keyFile).Value;
            Step("init", $"created log '{Origin}' in {logDir}; verifier key {signer.VerifierKey}");

            var records = Enumerable.Range(0, count).Select(Record).ToList();
            var appendTimer = Stopwatch.StartNew();
            await using (var writer = log.OpenWriter().Value)
            {
                await Task.WhenAll(records.Take(count - 1).Select(r => writer.Writer.AppendAsync(r)));
            }
            Step("append", $"appended {count - 1} release records in {appendTimer.Elapsed.TotalMilliseconds:0} ms ({(count - 1) / appendTimer.Elapsed.TotalSeconds:0} entries/s), each acknowledged only once a durable signed checkpoint covered it");
            var first = log.ReadCheckpoint().Value.Checkpoint;
            Step("checkpoint", $"checkpoint: size {first.Size}, root {Convert.ToBase64String(first.RootHash)}");

            var index = count / 2;
            var proofs = new ProofBuilder(new TileNodeSource(log.Storage, first.Size));
            var inclusion = proofs.Inclusion(index, first.Size).Value;
            var included = MerkleProofs.VerifyInclusion(index, first.Size, MerkleHasher.LeafHash(records[index]), inclusion, first.RootHash);
            Step("prove", $"entry {index} is in the tree: audit path of {inclusion.Count} hashes verifies ({Ok(included)})");

            await using (var writer = log.OpenWriter().Value)
                await writer.Writer.AppendAsync(records[^1]);
            var second = log.ReadCheckpoint().Value.Checkpoint;
            var consistency = new ProofBuilder(new TileNodeSource(log.Storage, second.Size)).Consistency(first.Size, second.Size).Value;
            var consistent = MerkleProofs.VerifyConsistency(first.Size, second.Size, first.RootHash, second.RootHash, consistency);
            Step("consistency", $"tree {first.Size} is a prefix of tree {second.Size}: {consistency.Count}-hash proof verifies ({Ok(consistent)})");

            var witness = NoteKeys.GenerateCosigner("witness.demo.rollproof.example", TimeProvider.System);
            var cosigned = log.ReadCheckpoint().Value.Note.AddSignatures(witness).ToBytes();
            var policyText = $"log {signer.VerifierKey}\nwitness w1 {witness.VerifierKey}\nquorum w1\n";
            File.WriteAllText(Path.Combine(root, "policy.txt"), policyText);
            var policy = TlogPolicy.Parse(Encoding.UTF8.GetBytes(policyText)).Value;
            var decision = policy.Evaluate(cosigned);
            Step("witness", $"a witness cosigned the checkpoint; policy quorum 'w1' {(decision.IsOk ? "is met" : "FAILED: " + decision.Problem)}");

            var receipt = new TlogProof(index, new ProofBuilder(new TileNodeSource(log.Storage, second.Size)).Inclusion(index, second.Size).Value, cosigned);
            var receiptPath = Path.Combine(root, $"entry-{index}.tlog-proof");
            File.WriteAllText(receiptPath, receipt.Format());
            var offline = TlogProof.Parse(File.ReadAllBytes(receiptPath)).Value.Verify(MerkleHasher.LeafHash(records[index]), policy);
            Step("receipt", $"wrote {receiptPath}; verified offline with only the policy ({Ok(offline.Problem)})");

            var audited = TileLogAuditor.Verify(log.Storage, log.Verifier);
            Step("audit", $"re-verified all {second.Size} entries and every tile against the checkpoint ({Ok(audited.Problem)})");

            var tamperedDir = Path.Combine(root, "tampered");
            CopyDirectory(logDir, tamperedDir);
            var bundle = Path.Combine(tamperedDir, TilePath.EntryBundle(0, TilePath.WidthAt(0, 0, second.Size)));
            var bytes = File.ReadAllBytes(bundle);
            bytes[^1] ^= 0x01;
            File.WriteAllBytes(bundle, bytes);
            var caught = TileLogAuditor.Verify(new FileSystemLogStorage(tamperedDir), log.Verifier);
            Step("tamper", caught.IsOk ? "TAMPERING WAS NOT DETECTED" : $"flipped one bit in a copy: {caught.Problem}");

            var success = included is null && consistent is null && decision.IsOk && offline.IsOk && audited.IsOk && !caught.IsOk;
            if (json)
                cli.WriteJson(new { success, dir = root, origin = Origin, verifierKey = signer.VerifierKey, size = second.Size, timeline = _timeline });
            else
                cli.Out.WriteLine(success ? $"\ndemo complete in {_clock.Elapsed.TotalSeconds:0.0} s: every check held and tampering was caught. Files are in {root}" : "\ndemo FAILED: see the steps above");
            return success ? ExitCodes.Ok : ExitCodes.VerificationFailed;
        }

        private void Step(string name, string message)
        {
            _timeline.Add(new { step = name, atMs = Math.Round(_clock.Elapsed.TotalMilliseconds), message });
            if (!json)
                cli.Out.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.000}s] {name,-12} {message}");
        }

        private static string Ok(Problem? problem) => problem is null ? "ok" : "FAILED: " + problem;

        private static byte[] Record(int i) =>
            Encoding.UTF8.GetBytes($$"""{"type":"release","app":"doc-signer","version":"1.{{i / 100}}.{{i % 100}}","artifact":"sha256:{{Convert.ToHexStringLower(MerkleHasher.LeafHash(BitConverter.GetBytes(i)))}}"}""");

        private static void CopyDirectory(string from, string to)
        {
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(to, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
    }
}
