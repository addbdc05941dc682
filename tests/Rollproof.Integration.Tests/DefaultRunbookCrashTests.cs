using System.Globalization;
using System.Text.Json;
using Rollproof.Cli.Commands.Demo;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Runbooks;
using Rollproof.Targets;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// Crash trials of the default emergency runbook in the demo's real environment: haproxy, docsign 1.0 and 1.1 run from
/// their signed artifacts, its SQLite database, requests quarantined during the incident. Each trial goes live on 1.1,
/// files and approves a rollback, and kills the command line executing it with SIGKILL: at every step once its work
/// is done and before its end is journaled (ROLLPROOF_CRASH_AT, armed only in the test build's host,
/// tests/Rollproof.CrashHost), after the last step before the execution is logged, and at random moments.
/// <c>rollback resume</c> then finishes, and the outcome is the one an uninterrupted run gives: every step completed
/// once in order, only the interrupted one started twice, 1.0 answering all traffic, migration
/// 002 undone, each quarantined request applied once and counted the same, each audience told once (a random kill
/// between delivery and logging may tell it twice), one report and one completed execution logged, the lock released.
/// ROLLPROOF_CRASH_ROUNDS repeats the trials. The test owns the environment: at its end, passed or failed, it stops the
/// slots and the router, and disposing its folder stops whatever a killed command line had started there.
/// </summary>
public sealed class DefaultRunbookCrashTests : IDisposable
{
    private static readonly string[] StepIds = ["tell-team", "pause", "snapshot", "drain-bad", "deploy-target", "migrate-down", "verify", "canary", "replay", "resume", "tell-customers", "report"];
    private const int RandomKillsPerRound = 3;
    private readonly TempDirectory _dir = new();
    private readonly RollbackGovernance _people;
    private DemoRouter? _router;
    private DemoEnvironment? _env;

    public DefaultRunbookCrashTests() => _people = new RollbackGovernance(_dir.Path);

    // IDisposable, as xunit 2 disposes test classes (it never calls IAsyncDisposable.DisposeAsync).
    public void Dispose()
    {
        try
        {
            foreach (var slot in (string[])["blue", "green"])
                new LocalProcesses(_dir.Combine("local")).StopAsync(slot, TimeSpan.FromSeconds(5), CancellationToken.None).GetAwaiter().GetResult();
            _router?.Dispose();
        }
        finally
        {
            _people.Dispose();
            _dir.Dispose();
        }
    }

    [Fact]
    public async Task Killed_at_any_step_of_the_default_runbook_a_resumed_rollback_ends_as_an_uninterrupted_one()
    {
        var store = await StoreWithBothReleasesAsync();
        var env = StartEnvironment();
        var runbook = _dir.Combine("runbook.yaml");
        File.WriteAllText(runbook, DemoRunbook.Render(env, "0s").Value);
        await GoLiveAsync(store, "1.0", "blue", env.Router.BluePort);

        var rounds = int.Parse(Environment.GetEnvironmentVariable("ROLLPROOF_CRASH_ROUNDS") ?? "1", CultureInfo.InvariantCulture);
        var random = new Random(4711);
        var trial = 0;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var point in StepIds.Select(s => "step-done:" + s).Append("run-done"))
                await TrialAsync(store, runbook, ++trial, point, killAfter: null);
            for (var k = 0; k < RandomKillsPerRound; k++)
                await TrialAsync(store, runbook, ++trial, null, TimeSpan.FromMilliseconds(random.Next(300, 2500)));
        }
    }

    private async Task TrialAsync(ReleaseStore store, string runbook, int trial, string? point, TimeSpan? killAfter)
    {
        var what = point ?? $"SIGKILL after {killAfter!.Value.TotalMilliseconds} ms";
        await GoLiveAsync(store, "1.1", "green", _env!.Router.GreenPort);
        var keys = Quarantine(trial);
        var checkedBefore = DocsignDatabase.Unkeyed(_env.Database);
        var request = await _people.ApprovedRequestAsync(store, "docsign");
        var id = request.ToString(CultureInfo.InvariantCulture);
        var work = Path.Combine(store.Root, ".rollproof", "executions", id);
        string[] execute = ["rollback", "execute", id, "--store", store.Root, "--runbook", runbook, "--key", _people.OperatorKeyFile, "--state", _people.Seen];

        var finished = point is not null ? Crash(execute, point) : KillAfter(execute, killAfter!.Value);
        if (!finished)
        {
            var again = File.Exists(Path.Combine(work, "runbook.yaml"))
                ? RollproofCli.Run(["rollback", "resume", id, "--store", store.Root, "--key", _people.OperatorKeyFile, "--state", _people.Seen])
                : RollproofCli.Run(execute);
            // A random kill can land after the execution was logged: resuming then has nothing left to do, and says so.
            var wasDone = point is null && again.Error.Contains("has already completed every step", StringComparison.Ordinal);
            Assert.True(again.ExitCode == 0 || wasDone, $"trial {trial} ({what}): finishing failed: {again.Error}{again.Out}");
        }

        var journal = new ExecutionJournal(Path.Combine(work, "journal.jsonl")).Read().Value;
        Assert.Equal(StepIds, journal.Where(r => r.Event == StepEvent.Completed).Select(r => r.Step));
        Assert.DoesNotContain(journal, r => r.Event == StepEvent.Failed);
        var twice = journal.Where(r => r.Event == StepEvent.Started).GroupBy(r => r.Step).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (point is null)
            Assert.True(twice.Count <= 1, $"trial {trial} ({what}): steps started more than once: {string.Join(", ", twice)}");
        else
            Assert.Equal(point == "run-done" ? [] : [point["step-done:".Length..]], twice);

        var answers = await TwoReleases.RequestsAsync(_env.Router.Port, 20, "/version");
        Assert.True(answers.All(a => a == "1.0"), $"trial {trial} ({what}): after the rollback the router answered {string.Join(", ", answers.Distinct())}");
        Assert.True(new LocalProcesses(_env.Local).Running("green") is null, $"trial {trial} ({what}): 1.1 still runs");
        Assert.Equal(["001_documents"], DocsignDatabase.Migrations(_env.Database));
        Assert.Equal(keys, DocsignDatabase.IdempotencyKeys(_env.Database).Where(k => k.StartsWith($"t{trial}-", StringComparison.Ordinal)));

        var report = Logged<ReportPredicate>(store, request, StatementKinds.Report);
        Assert.True(report.Count == 1, $"trial {trial} ({what}): {report.Count} reports logged");
        Assert.Equal(("3", "1", "0"), (report[0].Counts["replayed"], report[0].Counts["skipped"], report[0].Counts["failed"]));
        // Reconciliation: the documents signed since the snapshot are the 3 replayed ones and one per run of the
        // verification suite (it signs a document, without an idempotency key, to check the signature), by the verify
        // step and by the canary's gate at each traffic step.
        var documents = report[0].Rows!.Single(r => r.Table == "documents");
        var verifications = DocsignDatabase.Unkeyed(_env.Database) - checkedBefore;
        Assert.True(verifications >= journal.Count(r => r.Step == "verify" && r.Event == StepEvent.Started) + 4, $"trial {trial} ({what}): {verifications} verification(s)");
        Assert.True(documents.After - documents.Before == 3 + verifications, $"trial {trial} ({what}): documents {documents.Before} at the snapshot, {documents.After} after, {verifications} verification(s)");
        Assert.Equal((2L, 1L), (report[0].Rows!.Single(r => r.Table == "schema_migrations").Before!.Value, report[0].Rows!.Single(r => r.Table == "schema_migrations").After!.Value));
        var told = Logged<NotificationPredicate>(store, request, StatementKinds.Notification);
        Assert.Equal(["internal", "customers"], told.Select(n => n.Phase));
        var sent = File.ReadAllLines(Path.Combine(_env.Notifications, "internal.txt")).Count(l => l.Contains($"(request {id})", StringComparison.Ordinal));
        Assert.True(point is null ? sent >= 1 : sent == 1, $"trial {trial} ({what}): the team was told {sent} times");
        var executions = Logged<ExecutionPredicate>(store, request, StatementKinds.Execution);
        Assert.Equal([RunStart.Outcome, "completed"], executions.Select(e => e.Outcome)); // a resume goes on under the crashed run's start
        Assert.False(File.Exists(Path.Combine(store.Root, ".rollproof", "locks", "prod.lock")), $"trial {trial} ({what}): the lock was not released");
    }

    // Runs the execution armed to kill itself at the point; false when it died there, as it must.
    private static bool Crash(string[] execute, string point)
    {
        var killed = RollproofCli.RunCrashingAt(point, execute);
        Assert.True(killed.ExitCode == 137, $"the execution was to be killed at {point} but exited {killed.ExitCode}: {killed.Error}{killed.Out}");
        return false;
    }

    // Kills the execution with SIGKILL after the delay, wherever it is; true when it had finished by itself.
    private static bool KillAfter(string[] execute, TimeSpan delay)
    {
        using var process = RollproofCli.Start(execute);
        if (process.WaitForExit(delay))
        {
            Assert.True(process.ExitCode == 0, $"the execution failed on its own: {process.StandardError.ReadToEnd()}");
            return true;
        }
        ExternalProcess.Run("kill", ["-KILL", process.Id.ToString(CultureInfo.InvariantCulture)]);
        process.WaitForExit();
        return false;
    }

    private static List<T> Logged<T>(ReleaseStore store, long request, string kind) where T : class =>
        [.. new StatementLedger(store).Referring<T>(new StatementLedger(store).Read<RollbackRequestPredicate>(request, StatementKinds.RollbackRequest).Value.Ref, kind).Value.Select(p => p.Predicate)];

    // Three distinct signing requests refused during the incident, one of them refused twice.
    private List<string> Quarantine(int trial)
    {
        string[] keys = [$"t{trial}-a", $"t{trial}-b", $"t{trial}-a", $"t{trial}-c"];
        File.WriteAllLines(_env!.Quarantine, keys.Select(k => JsonSerializer.Serialize(new { key = k, method = "POST", path = "/sign", body = $"{{\"contract\":\"{k}\"}}" })));
        return [.. keys.Distinct().Order(StringComparer.Ordinal)];
    }

    private DemoEnvironment StartEnvironment()
    {
        var router = DemoRouter.Start(_dir.Combine("haproxy"));
        Assert.True(router.IsOk, router.IsOk ? "" : router.Problem.Message);
        _router = router.Value;
        using (var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(_dir.Combine("signing.pem"), key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(_dir.Combine("signing.pub.pem"), key.ExportSubjectPublicKeyInfoPem());
        }
        Directory.CreateDirectory(_dir.Combine("notifications"));
        _env = new DemoEnvironment(_dir.Combine("docsign.db"), _dir.Combine("signing.pem"), _dir.Combine("signing.pub.pem"), _dir.Combine("local"), _dir.Combine("quarantine.jsonl"), _dir.Combine("notifications"), router.Value);
        return _env;
    }

    // Runs the version in its slot, sends it all traffic, stops the other slot and records the deployment.
    private async Task GoLiveAsync(ReleaseStore store, string version, string slot, int port)
    {
        var release = await ReleaseVerifier.VerifyAsync(store, "docsign", version, store.ReadTrust().Value, _people.Seen);
        Assert.True(release.IsOk, release.IsOk ? "" : release.Problem.Message);
        var deployed = await LocalDeployment.DeployAsync(store, release.Value, _env!.Local, null, slot, port, DemoRunbook.RunCommand(_env), new Uri($"http://127.0.0.1:{port}/health"), TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
        Assert.True(deployed.IsOk, deployed.IsOk ? "" : deployed.Problem.Message);
        Assert.Null(await _env.Router.SendAllToAsync(slot, CancellationToken.None));
        await new LocalProcesses(_env.Local).StopAsync(slot == "blue" ? "green" : "blue", TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.True((await DeploymentRecorder.RecordAsync(store, "prod", "docsign", version, null, _people.Operator, _people.Seen, TimeProvider.System)).IsOk);
    }

    private async Task<ReleaseStore> StoreWithBothReleasesAsync()
    {
        var store = await _people.StoreAsync();
        var project = SampleBuild.FindProject();
        Assert.True(project is not null, $"{SampleBuild.Project} was not found above {AppContext.BaseDirectory}");
        foreach (var version in new[] { "1.0", "1.1" })
        {
            var draft = await SampleBuild.BuildAsync(project, version, _dir.Combine("build"), CancellationToken.None);
            Assert.True(draft.IsOk, draft.IsOk ? "" : draft.Problem.Message);
            Assert.True((await store.PublishAsync(draft.Value, _people.Ci, TimeProvider.System)).IsOk);
        }
        return store;
    }
}
