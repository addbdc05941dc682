using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Rollbacks.Risk;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Benchmarks;

/// <summary>
/// Deciding on a rollback request: the risk analysis of a 2,000-component SBOM diff against a 500-advisory feed plus
/// the policy's evaluation of 50 approvals (in memory); and the whole 'rollback status' (reading the request, policy
/// and 50 approvals from the log, verifying the target again, evaluating) on a real store.
/// </summary>
internal static class RollbackDecisionBenchmark
{
    private const int Components = 2000;
    private const int Advisories = 500;
    private const int Approvers = 50;

    public static async Task RunAsync(BenchOptions options)
    {
        var root = Path.Combine(options.Dir ?? Path.GetTempPath(), $"rollproof-bench-rollback-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            var feedDir = Path.Combine(root, "feed");
            Directory.CreateDirectory(feedDir);
            for (var i = 0; i < Advisories; i++)
                File.WriteAllText(Path.Combine(feedDir, $"osv-{i}.json"),
                    $$"""{"id":"GHSA-bench-{{i}}","aliases":["CVE-2026-{{i}}"],"affected":[{"package":{"ecosystem":"npm","name":"pkg-{{i * 4}}"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]}]}""");
            var feed = VulnerabilityFeed.Load(feedDir).Value;
            var current = Sbom(version: i => "2.0.0");
            var target = Sbom(version: i => i % 3 == 0 ? "1.9.0" : "2.0.0");

            var (store, requestIndex, stateFile) = await BuildStoreAsync(root, current, target, feedDir, options.Entries);
            // The first status reads the whole log once, to map where its statements are; later ones read what is new.
            File.Delete(KindMapCache.PathFor(store.Log.Config));
            var firstTime = Stopwatch.StartNew();
            var status = await RollbackDecisions.StatusAsync(ReleaseStore.Open(store.Root).Value, requestIndex, stateFile, TimeProvider.System);
            firstTime.Stop();
            var logged = status.Value.Request;
            var policy = PolicyYaml.Parse(File.ReadAllText(Path.Combine(root, "policy.yaml"))).Value;
            var currentSide = new ReleaseSide(Predicate("1.1"), current);
            var targetSide = new ReleaseSide(Predicate("1.0"), target);
            var approvals = Enumerable.Range(0, Approvers).Select(i => new ApprovalFacts(100 + i, $"approver-{i}", DateTimeOffset.UtcNow, logged.Ref, ApprovalDecision.Approve, null, [])).ToList();

            RiskAssessment risk = null!;
            var inMemory = Median(options.Runs * 4, () =>
            {
                risk = RiskAnalyzer.Analyze(new RiskInputs(currentSide, targetSide, feed, new TargetIntegrity(null, KeyStatus.Valid, "ci"), _ => true, DateTimeOffset.UtcNow));
                var facts = RollbackDecisions.Facts(logged.Predicate, logged.Ref, "requester", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, risk);
                PolicyEvaluator.Evaluate(policy, facts, approvals, DateTimeOffset.UtcNow);
            });
            var endToEnd = Median(options.Runs * 4, () => RollbackDecisions.StatusAsync(store, requestIndex, stateFile, TimeProvider.System).GetAwaiter().GetResult());
            // As a new process would: the store opened afresh, the verifier's map of the log read from its state.
            var freshStore = Median(options.Runs * 4, () => RollbackDecisions.StatusAsync(ReleaseStore.Open(store.Root).Value, requestIndex, stateFile, TimeProvider.System).GetAwaiter().GetResult());
            Console.WriteLine($"risk analysis ({Components}-component SBOMs, {Advisories}-advisory feed: {risk.Findings.Count} findings) + policy evaluation ({Approvers} approvals): {inMemory.TotalMilliseconds:0.0} ms (median)");
            Console.WriteLine($"rollback status from the log ({status.Value.Decision.CountedApprovers.Count} approvals counted, target re-verified, risk computed again; log of {store.Log.ReadCheckpoint().Value.Checkpoint.Size:N0} entries): {endToEnd.TotalMilliseconds:0.0} ms (median)");
            Console.WriteLine($"the first status on that log, its map made by reading every entry: {firstTime.Elapsed.TotalMilliseconds:0} ms");
            Console.WriteLine($"the same with the store opened afresh, as a new process (trust derived again, map read from the verifier's state): {freshStore.TotalMilliseconds:0.0} ms (median)");
        }
        finally
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(ReleaseStore Store, long Request, string State)> BuildStoreAsync(string root, byte[] currentSbom, byte[] targetSbom, string feedDir, long filler)
    {
        var keys = new Dictionary<string, PrivateKey> { ["ci"] = PrivateKey.Generate(KeyAlgorithm.EcdsaP256), ["ops"] = PrivateKey.Generate(KeyAlgorithm.EcdsaP256), ["root"] = PrivateKey.Generate(KeyAlgorithm.EcdsaP256), ["requester"] = PrivateKey.Generate(KeyAlgorithm.EcdsaP256) };
        for (var i = 0; i < Approvers; i++)
            keys[$"approver-{i}"] = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var trust = keys.Aggregate(TrustFile.Empty, (t, k) => t.With(new TrustedKey(k.Key, k.Value.PublicKey, new HashSet<string>([k.Key switch
        {
            "ci" => StatementKinds.Release,
            "ops" => StatementKinds.Deployment,
            "root" => StatementKinds.Policy,
            "requester" => StatementKinds.RollbackRequest,
            _ => StatementKinds.Approval,
        }]), DateTimeOffset.UnixEpoch, null)));
        var store = ReleaseStore.Init(Path.Combine(root, "store"), "bench.example/rollbacks", trust: trust).Value;
        var state = Path.Combine(root, "seen");
        await AppendFillerAsync(store, keys["ops"], filler);
        foreach (var (version, sbom) in new[] { ("1.0", targetSbom), ("1.1", currentSbom) })
        {
            File.WriteAllText(Path.Combine(root, $"app-{version}"), "app " + version);
            File.WriteAllBytes(Path.Combine(root, $"sbom-{version}.json"), sbom);
            var draft = new ReleaseDraft("app", version, [Path.Combine(root, $"app-{version}")], Path.Combine(root, $"sbom-{version}.json"), null, null, null, null, null);
            Check(await store.PublishAsync(draft, keys["ci"], TimeProvider.System));
            Check(await DeploymentRecorder.RecordAsync(store, "prod", "app", version, null, keys["ops"], state, TimeProvider.System));
        }
        var approvers = string.Join(", ", Enumerable.Range(0, Approvers).Select(i => $"approver-{i}"));
        File.WriteAllText(Path.Combine(root, "policy.yaml"), $"environment: prod\nroles:\n  requesters: [requester]\n  approvers: [{approvers}]\napprovals: {{ required: {Approvers}, securityApproverFrom: critical, securityApproverForSecurityFindings: false }}\n");
        Check(await PolicyLedger.ProposeAsync(store, File.ReadAllText(Path.Combine(root, "policy.yaml")), keys["root"], TimeProvider.System));
        var filed = await RollbackRequester.RequestAsync(store, new RollbackAsk("prod", "app", "1.0", "critical-bug", "bench", "INC-1", false, null, feedDir), keys["requester"], state, TimeProvider.System);
        Check(filed);
        var request = filed.Value.Logged.Ref.LogIndex;
        for (var i = 0; i < Approvers; i++)
            Check(await ApprovalLedger.DecideOnRequestAsync(store, request, ApprovalDecision.Approve, [], null, null, keys[$"approver-{i}"], TimeProvider.System));
        foreach (var key in keys.Values)
            key.Dispose();
        return (store, request, state);
    }

    // The rest of a busy log: deployments of other apps to other environments, each signed, with its log timestamp.
    private static async Task AppendFillerAsync(ReleaseStore store, PrivateKey ops, long count)
    {
        const int InFlight = 5000;
        var release = new StatementRef(0, "sha256:" + new string('0', 64));
        await using var writer = store.Log.OpenWriter().Value;
        for (long done = 0; done < count; done += InFlight)
        {
            var batch = Enumerable.Range(0, (int)Math.Min(InFlight, count - done)).Select(i =>
            {
                var n = done + i;
                var deployment = new DeploymentPredicate($"staging-{n % 50}", $"other-{n % 20}", $"1.{n}", release, "bench");
                var statement = new Formats.InTotoStatement([new Formats.Subject($"release:other@1.{n}", new Dictionary<string, string> { ["sha256"] = new string('0', 64) })],
                    StatementKinds.PredicateType(StatementKinds.Deployment), Formats.PredicateJson.Write(deployment));
                return writer.Writer.AppendWithTimestampAsync(statement.Sign(ops).ToJson());
            }).ToList();
            foreach (var (index, timestamp) in await Task.WhenAll(batch))
                store.Log.Timestamps.Keep(index, timestamp);
        }
    }

    private static ReleasePredicate Predicate(string version) =>
        new("app", version, $"pkg:generic/app@{version}", null, null, new BuildProvenance("ci", "repo", "abc", [], null), [], null, new SecuritySurface([], [], [], []));

    private static byte[] Sbom(Func<int, string> version) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        bomFormat = "CycloneDX", specVersion = "1.6", version = 1,
        components = Enumerable.Range(0, Components).Select(i => new { type = "library", name = $"pkg-{i}", version = version(i), purl = $"pkg:npm/pkg-{i}@{version(i)}" }),
    }));

    private static void Check<T>(Common.Result<T> result)
    {
        if (!result.IsOk)
            throw new InvalidOperationException(result.Problem.Message);
    }

    private static TimeSpan Median(int runs, Action action)
    {
        action();
        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            var timer = Stopwatch.StartNew();
            action();
            times.Add(timer.Elapsed);
        }
        return times.Order().ElementAt(runs / 2);
    }
}
