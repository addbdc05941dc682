using System.IO.Compression;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Runbooks;
using Rollproof.Targets;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// <c>rollproof demo --workdir DIR</c> end to end, as scripts use it: real haproxy, the docsign sample built and run
/// from its signed artifacts, the whole runbook. It leaves DIR/evidence.zip and DIR/trust.json, the package verifies
/// offline, and fails once any file inside is changed, added or removed.
/// </summary>
public sealed class RollbackDemoTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_demo_rolls_back_to_1_0_and_leaves_evidence_that_verifies_offline_until_touched()
    {
        var workdir = _dir.Combine("demo");
        var demo = Cli(["demo", "--workdir", workdir, "--dwell", "0s", "--json"]);

        Assert.True(demo.ExitCode == 0, $"the demo failed: {demo.Error}{demo.Out}");
        var summary = JsonDocument.Parse(demo.Out).RootElement;
        Assert.True(summary.GetProperty("customers").GetProperty("1.0").GetInt32() > 0, "customers were served by 1.0 after the rollback");
        Assert.InRange(summary.GetProperty("executeToFullTrafficSeconds").GetDouble(), 0.001, 120);
        var journal = new ExecutionJournal(Path.Combine(workdir, "store", ".rollproof", "executions", summary.GetProperty("request").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "journal.jsonl")).Read().Value;
        Assert.Equal(["tell-team", "pause", "snapshot", "drain-bad", "deploy-target", "migrate-down", "verify", "canary", "replay", "resume", "tell-customers", "report"],
            journal.Where(r => r.Event == StepEvent.Completed).Select(r => r.Step));
        Assert.Equal(["001_documents"], DocsignDatabase.Migrations(Path.Combine(workdir, "env", "prod", "docsign.db")));
        Assert.Contains("from 1.1 to 1.0", File.ReadAllText(Path.Combine(workdir, "env", "prod", "notifications", "internal.txt")), StringComparison.Ordinal);
        var slots = new LocalProcesses(Path.Combine(workdir, "env", "prod", "local"));
        Assert.True(slots.Running("blue") is null && slots.Running("green") is null, "the demo stops the processes it started");
        Assert.Empty(ProcessesUnder.Find(workdir).Select(pid => ProcessGroups.CommandLine(pid))); // haproxy included

        var evidence = Path.Combine(workdir, "evidence.zip");
        var trust = Path.Combine(workdir, "trust.json");
        Assert.Equal(0, Cli(["evidence", "verify", evidence, "--trust", trust]).ExitCode);
        foreach (var (what, change) in Tamperings())
        {
            var copy = _dir.Combine($"{what}.zip");
            File.Copy(evidence, copy, overwrite: true);
            using (var zip = ZipFile.Open(copy, ZipArchiveMode.Update))
                change(zip);
            var verified = Cli(["evidence", "verify", copy, "--trust", trust]);
            Assert.True(verified.ExitCode != 0, $"a package with a file {what} still verifies");
        }
    }

    private static IEnumerable<(string, Action<ZipArchive>)> Tamperings()
    {
        yield return ("changed", zip =>
        {
            var entry = zip.Entries.First(e => e.FullName.StartsWith("blobs/", StringComparison.Ordinal));
            var name = entry.FullName;
            byte[] bytes;
            using (var read = entry.Open())
            using (var memory = new MemoryStream())
            {
                read.CopyTo(memory);
                bytes = memory.ToArray();
            }
            bytes[^1] ^= 1;
            entry.Delete();
            using var write = zip.CreateEntry(name).Open();
            write.Write(bytes);
        });
        yield return ("added", zip =>
        {
            using var write = zip.CreateEntry("blobs/sha256/extra").Open();
            write.Write("not part of the package"u8);
        });
        yield return ("removed", zip => zip.Entries.First(e => e.FullName.StartsWith("entries/", StringComparison.Ordinal)).Delete());
    }

    private static ExternalProcess.Outcome Cli(string[] args) => RollproofCli.Run(args, TimeSpan.FromMinutes(5));
}
