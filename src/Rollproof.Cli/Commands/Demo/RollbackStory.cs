using System.Text;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Evidence;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Targets;

namespace Rollproof.Cli.Commands.Demo;

/// <summary>
/// The whole story on this machine: two signed releases of the document-signing sample, 1.0 then 1.1 deployed behind
/// haproxy, the verification suite catching 1.1's signatures failing, a governed rollback request with its risk
/// analysis, two approvals, the runbook restoring 1.0 by digest, and an evidence package verified offline.
/// </summary>
internal sealed class RollbackStory(CliContext cli, string root, string project, string dwell, bool json) : IAsyncDisposable
{
    private const string App = "docsign";
    private const string EnvironmentName = "prod";
    private readonly Timeline _timeline = new(cli, json);
    private readonly Dictionary<string, PrivateKey> _keys = new[] { "ci", "ops", "carol", "alice", "bob", "root" }.ToDictionary(p => p, _ => PrivateKey.Generate(KeyAlgorithm.EcdsaP256), StringComparer.Ordinal);
    private readonly TimeProvider _clock = TimeProvider.System;
    private DemoRouter? _router;
    private SigningClient? _client;

    private string State => Path.Combine(root, "store", ".rollproof", "demo-seen");

    private string Local => Path.Combine(root, "env", EnvironmentName, "local");

    public async Task<Result<object>> RunAsync(CancellationToken cancellation)
    {
        var store = await SetupAsync(cancellation);
        if (!store.IsOk)
            return store.Problem;
        foreach (var version in (string[])["1.0", "1.1"])
            if (await PublishAsync(store.Value, version, cancellation) is { } failed)
                return failed;
        var env = StartEnvironment();
        if (!env.IsOk)
            return env.Problem;
        if (await GoLiveAsync(store.Value, env.Value, cancellation) is { } wentWrong)
            return wentWrong;

        var detected = await DetectAsync(env.Value, cancellation);
        if (!detected.IsOk)
            return detected.Problem;
        var request = await RequestAndApproveAsync(store.Value, cancellation);
        if (!request.IsOk)
            return request.Problem;
        var execution = await ExecuteAsync(store.Value, env.Value, request.Value, cancellation);
        if (!execution.IsOk)
            return execution.Problem;
        var evidence = await EvidenceAsync(store.Value, request.Value, cancellation);
        if (!evidence.IsOk)
            return evidence.Problem;

        var restored = execution.Value.Execution.Run!.Journal.Last(r => r.Step == "canary" && r.Event == StepEvent.Completed).At;
        var recovery = restored - detected.Value;
        _timeline.Say("done", $"from detection to 100% of traffic on 1.0: {recovery.TotalSeconds:0.0} s. The store, {Path.Combine(root, "evidence.zip")} and {Path.Combine(root, "trust.json")} are left for you: "
            + $"rollproof evidence verify {Path.Combine(root, "evidence.zip")} --trust {Path.Combine(root, "trust.json")}");
        return Result<object>.Ok(new
        {
            workdir = root, request = request.Value, evidence = Path.Combine(root, "evidence.zip"), trust = Path.Combine(root, "trust.json"),
            detectionToFullTrafficSeconds = Math.Round(recovery.TotalSeconds, 3),
            executeToFullTrafficSeconds = Math.Round((restored - execution.Value.Started).TotalSeconds, 3), customers = _client!.Answers, quarantined = _client.Quarantined, timeline = _timeline.Events,
        });
    }

    private async Task<Result<ReleaseStore>> SetupAsync(CancellationToken cancellation)
    {
        string[] Kinds(string person) => person switch
        {
            "ci" => ["release"],
            "ops" => ["deployment", "execution", "notification", "report"],
            "root" => ["policy", "key-change", "lock-override"],
            _ => ["rollback-request", "approval", "review"],
        };
        var trustJson = JsonSerializer.SerializeToUtf8Bytes(new
        {
            keys = _keys.Select(k => new { name = k.Key, kinds = Kinds(k.Key), validFrom = _clock.GetUtcNow().AddDays(-1).ToString("O"), publicKey = k.Value.PublicKey.ToPem() }),
        });
        var trust = TrustFile.Parse(trustJson);
        var store = trust.IsOk ? ReleaseStore.Init(Path.Combine(root, "store"), "demo.rollproof.example/log", trust: trust.Value, clock: _clock) : trust.Problem;
        if (!store.IsOk)
            return store;
        _timeline.Say("setup", $"store {store.Value.Root}: log, artifact store, trust for ci (releases), ops (operator), carol (on call), alice and bob (approvers), root (admin)");
        var policy = """
            environment: prod
            roles:
              requesters: [carol]
              approvers: [alice, bob]
              securityApprovers: [alice]
              operators: [ops]
              admins: [root]
            approvals: { required: 2, securityApproverForSecurityFindings: true }
            evidence: { ticketPattern: '^INC-[0-9]+$' }
            policyChanges: { approvals: 0 }
            """;
        File.WriteAllText(Path.Combine(root, "policy.yaml"), policy);
        var logged = await PolicyLedger.ProposeAsync(store.Value, policy, _keys["root"], _clock, cancellation);
        if (!logged.IsOk)
            return logged.Problem;
        _timeline.Say("policy", $"prod: 2 approvals from alice and bob, a security approver for security findings, no self-approval, tickets INC-n (log index {logged.Value.Ref.LogIndex})");
        return store;
    }

    private async Task<Problem?> PublishAsync(ReleaseStore store, string version, CancellationToken cancellation)
    {
        var draft = await SampleBuild.BuildAsync(project, version, root, cancellation);
        if (!draft.IsOk)
            return draft.Problem;
        var published = await store.PublishAsync(draft.Value, _keys["ci"], _clock, cancellation: cancellation);
        if (!published.IsOk)
            return published.Problem;
        var opened = await store.OpenReleaseAsync(published.Value.Record, cancellation);
        var digest = opened.IsOk ? opened.Value.Statement.Subjects[0].Digest["sha256"] : "?";
        _timeline.Say("release", $"built and published docsign {version}: artifact sha256:{digest[..16]}…, SBOM, {(version == "1.0" ? "1 migration, signs ES256" : "2 migrations, signs RS256")}; signed by ci, log index {published.Value.Record.LogIndex}");
        return null;
    }

    private Result<DemoEnvironment> StartEnvironment()
    {
        var router = DemoRouter.Start(Path.Combine(root, "env", EnvironmentName, "haproxy"));
        if (!router.IsOk)
            return router.Problem;
        _router = router.Value;
        var dir = Path.Combine(root, "env", EnvironmentName);
        var signingKey = Path.Combine(dir, "signing.pem");
        using (var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            SecretFile.WriteNew(signingKey, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(dir, "signing.pub.pem"), key.ExportSubjectPublicKeyInfoPem());
        }
        Directory.CreateDirectory(Path.Combine(dir, "notifications"));
        _timeline.Say("router", $"haproxy on 127.0.0.1:{_router.Port} (admin socket {_router.Socket}); backend app: blue :{_router.BluePort}, green :{_router.GreenPort}, hold (503 + Retry-After)");
        return Result<DemoEnvironment>.Ok(new DemoEnvironment(Path.Combine(dir, "docsign.db"), signingKey, Path.Combine(dir, "signing.pub.pem"), Local,
            Path.Combine(dir, "quarantine.jsonl"), Path.Combine(dir, "notifications"), _router));
    }

    private async Task<Problem?> GoLiveAsync(ReleaseStore store, DemoEnvironment env, CancellationToken cancellation)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        foreach (var (version, slot, port) in new[] { ("1.0", "blue", env.Router.BluePort), ("1.1", "green", env.Router.GreenPort) })
        {
            var release = await ReleaseVerifier.VerifyAsync(store, App, version, trust.Value, State, cancellation);
            if (!release.IsOk)
                return release.Problem;
            var deployed = await LocalDeployment.DeployAsync(store, release.Value, Local, null, slot, port,
                DemoRunbook.RunCommand(env), new Uri($"http://127.0.0.1:{port}/health"), TimeSpan.FromSeconds(30), _clock, cancellation);
            if (!deployed.IsOk)
                return deployed.Problem;
            if (await env.Router.SendAllToAsync(slot, cancellation) is { } refused)
                return refused;
            if (version == "1.1")
                await new LocalProcesses(Local).StopAsync("blue", TimeSpan.FromSeconds(10), cancellation);
            var recorded = await DeploymentRecorder.RecordAsync(store, EnvironmentName, App, version, "rollproof demo (local target)", _keys["ops"], State, _clock, cancellation);
            if (!recorded.IsOk)
                return recorded.Problem;
            _timeline.Say("deploy", $"docsign {version} unpacked by digest {deployed.Value.Digest.Hex[..16]}… and running in slot {slot} (pid {deployed.Value.Slot.Pid}); all traffic to {slot}; deployment logged at index {recorded.Value.Ref.LogIndex}");
            if (version == "1.0")
            {
                _client = new SigningClient(env.Router.Port, env.Quarantine);
                _client.Start();
                await Task.Delay(500, cancellation);
            }
        }
        return null;
    }

    // The app's verification suite, run through the router as a monitor would: it signs a document and checks the
    // signature under the environment's published key.
    private async Task<Result<DateTimeOffset>> DetectAsync(DemoEnvironment env, CancellationToken cancellation)
    {
        if (new LocalProcesses(Local).Running("green") is not { } live)
            return Result<DateTimeOffset>.Fail(ErrorCodes.TargetFailed, $"docsign 1.1 is not running (see {new LocalProcesses(Local).LogOf("green")})");
        var suite = Path.Combine(live.Directory, "Docsign.dll");
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var check = await ShellCommand.RunAsync($"dotnet '{suite}' check http://127.0.0.1:{env.Router.Port} '{env.PublicKey}'", root, TimeSpan.FromSeconds(30), cancellation);
            if (check.ExitCode != 0)
            {
                var at = _clock.GetUtcNow();
                _timeline.Say("detect", $"REGRESSION: {check.Output.Trim()}");
                return Result<DateTimeOffset>.Ok(at);
            }
            await Task.Delay(200, cancellation);
        }
        return Result<DateTimeOffset>.Fail(ErrorCodes.StepFailed, "the verification suite never caught 1.1's regression");
    }

    private async Task<Result<long>> RequestAndApproveAsync(ReleaseStore store, CancellationToken cancellation)
    {
        var filed = await RollbackRequester.RequestAsync(store, new RollbackAsk(EnvironmentName, App, "1.0", "critical-bug",
            "1.1 signs documents with RS256 under a key of its own: signatures no longer verify under the published ES256 key", "INC-4711", false, null, null), _keys["carol"], State, _clock, cancellation);
        if (!filed.IsOk)
            return filed.Problem;
        var index = filed.Value.Logged.Ref.LogIndex;
        _timeline.Say("request", $"carol asks to roll prod back to 1.0 (INC-4711), log index {index}; risk {filed.Value.Risk.Level.ToString().ToLowerInvariant()}:");
        foreach (var finding in filed.Value.Risk.Findings)
            _timeline.Say("risk", $"  [{finding.Severity.ToString().ToLowerInvariant()}] {finding.Code}: {finding.Message}");
        foreach (var approver in (string[])["alice", "bob"])
        {
            var approved = await ApprovalLedger.DecideOnRequestAsync(store, index, ApprovalDecision.Approve, [], null, "verified the failing signatures myself", _keys[approver], _clock, cancellation);
            if (!approved.IsOk)
                return approved.Problem;
            _timeline.Say("approve", $"{approver} approves (log index {approved.Value.Ref.LogIndex})");
        }
        var status = await RollbackDecisions.StatusAsync(store, index, State, _clock, cancellation);
        if (!status.IsOk)
            return status.Problem;
        _timeline.Say("decision", $"{status.Value.Decision.Status.ToString().ToLowerInvariant()}: counted {string.Join(", ", status.Value.Decision.CountedApprovers)}, re-derived from the log");
        return Result<long>.Ok(index);
    }

    private async Task<Result<(Execution Execution, DateTimeOffset Started)>> ExecuteAsync(ReleaseStore store, DemoEnvironment env, long request, CancellationToken cancellation)
    {
        var runbook = DemoRunbook.Render(env, dwell);
        if (!runbook.IsOk)
            return runbook.Problem;
        await File.WriteAllTextAsync(Path.Combine(root, "runbook.yaml"), runbook.Value, cancellation);
        var started = _clock.GetUtcNow();
        var executed = await RollbackExecutor.ExecuteAsync(store, request, runbook.Value, _keys["ops"], State, dryRun: false, _clock, cancellation);
        if (!executed.IsOk)
            return executed.Problem;
        foreach (var end in executed.Value.Run!.Journal.Where(r => r.Event != StepEvent.Started))
        {
            var began = executed.Value.Run.Journal.First(r => r.Step == end.Step && r.Event == StepEvent.Started).At;
            _timeline.Say("runbook", $"  {end.Step,-18} {(end.At - began).TotalMilliseconds,6:0} ms  {end.Event.ToString().ToLowerInvariant()}: {end.Message}", end.At);
        }
        if (executed.Value.Run.FailedStep is { } failed)
            return Result<(Execution, DateTimeOffset)>.Fail(ErrorCodes.StepFailed, $"the runbook stopped at '{failed}': {executed.Value.Run.Failure}");
        _timeline.Say("executed", $"rollback executed by ops in {(_clock.GetUtcNow() - started).TotalSeconds:0.0} s; execution logged at index {executed.Value.Logged!.Ref.LogIndex}");
        await _client!.StopAsync();
        _timeline.Say("customers", $"answers seen by customers: {string.Join(", ", _client.Answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {a.Value}"))}; {_client.Quarantined} refused attempt(s) quarantined and replayed");
        return Result<(Execution, DateTimeOffset)>.Ok((executed.Value, started));
    }

    private async Task<Result<bool>> EvidenceAsync(ReleaseStore store, long request, CancellationToken cancellation)
    {
        var exported = await EvidenceExporter.ExportAsync(store, request, cancellation);
        if (!exported.IsOk)
            return exported.Problem;
        var zip = Path.Combine(root, "evidence.zip");
        await using (var file = File.Create(zip))
            ZipFiles.Write(file, EvidenceLayout.Files(exported.Value.Package, EvidenceSummary.Render(exported.Value.Chain)));
        File.Copy(store.TrustPath, Path.Combine(root, "trust.json"), overwrite: true);
        var trust = TrustFile.Parse(File.ReadAllBytes(Path.Combine(root, "trust.json")));
        if (!trust.IsOk)
            return trust.Problem;
        await using var read = File.OpenRead(zip);
        var verified = EvidenceVerifier.Verify(read, zip, trust.Value);
        if (!verified.IsOk)
            return verified.Problem;
        _timeline.Say("evidence", $"{zip}: {verified.Value.Entries.Count} statements (releases, deployments, policy, request, approvals, notifications, execution, report) with receipts, checkpoint, SBOMs, runbook and journal; verified offline against trust.json alone");
        return Result<bool>.Ok(true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync();
            _client.Dispose();
        }
        foreach (var slot in (string[])["blue", "green"])
            await new LocalProcesses(Local).StopAsync(slot, TimeSpan.FromSeconds(5), CancellationToken.None);
        _router?.Dispose();
        foreach (var key in _keys.Values)
            key.Dispose();
    }
}
