using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Signing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// The people of a governed store for the crash trials, each key trusted for its kinds: ci publishes, ops deploys and
/// runs rollbacks, root sets the policy, carol asks for rollbacks in prod and alice and bob both approve them. The
/// operator's key is also written to a file, unencrypted, for the command line.
/// </summary>
internal sealed class RollbackGovernance(string dir) : IDisposable
{
    private const string Policy = "environment: prod\nroles:\n  requesters: [carol]\n  approvers: [alice, bob]\n  securityApprovers: [alice]\n  operators: [ops]\napprovals: { required: 2, securityApproverForSecurityFindings: true }\n";
    private readonly Dictionary<string, PrivateKey> _keys = new[] { "ci", "ops", "root", "carol", "alice", "bob" }.ToDictionary(n => n, _ => PrivateKey.Generate(KeyAlgorithm.EcdsaP256));

    public string Seen => Path.Combine(dir, "seen");

    public string OperatorKeyFile => Path.Combine(dir, "ops.pem");

    public PrivateKey Ci => _keys["ci"];

    public PrivateKey Operator => _keys["ops"];

    /// <summary>A new store under the directory, trusting everyone for their kinds, with prod's policy logged.</summary>
    public async Task<ReleaseStore> StoreAsync()
    {
        string[] Kinds(string person) => person switch
        {
            "ci" => [StatementKinds.Release],
            "ops" => [StatementKinds.Deployment, StatementKinds.Execution, StatementKinds.Notification, StatementKinds.Report],
            "root" => [StatementKinds.Policy],
            _ => [StatementKinds.RollbackRequest, StatementKinds.Approval],
        };
        var trust = _keys.Aggregate(TrustFile.Empty, (t, k) => t.With(new TrustedKey(k.Key, k.Value.PublicKey, new HashSet<string>(Kinds(k.Key)), DateTimeOffset.UnixEpoch, null)));
        var store = ReleaseStore.Init(Path.Combine(dir, "store"), "crash.example/rollbacks", trust: trust).Value;
        Assert.True((await PolicyLedger.ProposeAsync(store, Policy, _keys["root"], TimeProvider.System)).IsOk);
        File.WriteAllText(OperatorKeyFile, Operator.ToUnencryptedPem());
        return store;
    }

    /// <summary>As <see cref="StoreAsync"/>, with releases 1.0 and 1.1 of "app" published and deployed to prod in turn.</summary>
    public async Task<ReleaseStore> StoreWithTwoReleasesAsync()
    {
        var store = await StoreAsync();
        foreach (var version in new[] { "1.0", "1.1" })
        {
            File.WriteAllText(Path.Combine(dir, "app-" + version), "app " + version);
            Assert.True((await store.PublishAsync(new ReleaseDraft("app", version, [Path.Combine(dir, "app-" + version)], null, null, null, null, null, null), Ci, TimeProvider.System)).IsOk);
            await DeployAsync(store, version);
        }
        return store;
    }

    /// <summary>The operator's record that <paramref name="version"/> of "app" runs in prod: after a completed rollback, what makes 1.1 bad again for the next trial.</summary>
    public async Task DeployAsync(ReleaseStore store, string version) =>
        Assert.True((await DeploymentRecorder.RecordAsync(store, "prod", "app", version, null, Operator, Seen, TimeProvider.System)).IsOk);

    /// <summary>carol's request to roll the app in prod back to 1.0, approved by alice and bob; its log index.</summary>
    public async Task<long> ApprovedRequestAsync(ReleaseStore store, string app)
    {
        var filed = await RollbackRequester.RequestAsync(store, new RollbackAsk("prod", app, "1.0", "critical-bug", "crash trial", "INC-1", false, null, null), _keys["carol"], Seen, TimeProvider.System);
        Assert.True(filed.IsOk, filed.IsOk ? "" : filed.Problem.Message);
        var request = filed.Value.Logged.Ref.LogIndex;
        foreach (var approver in new[] { "alice", "bob" })
            Assert.True((await ApprovalLedger.DecideOnRequestAsync(store, request, ApprovalDecision.Approve, [], null, null, _keys[approver], TimeProvider.System)).IsOk);
        return request;
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
            key.Dispose();
    }
}
