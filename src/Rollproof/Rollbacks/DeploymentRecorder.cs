using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks.Policy;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Rollbacks;

/// <summary>
/// Records a deployment made by another tool (CI, kubectl): only of a release that verifies now (signature, logged
/// time, trust, inclusion, artifacts), signed by a key the trust file lets record deployments and, once the
/// environment has a policy, by one of its operators.
/// </summary>
public static class DeploymentRecorder
{
    public static async Task<Result<LoggedStatement>> RecordAsync(ReleaseStore store, string environment, string app, string version, string? tool, IStatementSigner signer, string stateFile, TimeProvider clock, CancellationToken cancellation = default)
    {
        if (!Names.IsValid(environment))
            return Result<LoggedStatement>.Fail(ErrorCodes.InputMalformed, $"environment '{environment}': {Names.Rule}");
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var policy = PolicyLedger.Read(new StatementLedger(store), store, environment);
        if (!policy.IsOk && policy.Problem.Code != ErrorCodes.PolicyMissing)
            return policy.Problem;
        var deployer = trust.Value.NameOf(signer.PublicKey.KeyId);
        if (policy.IsOk && (deployer is null || !policy.Value.Policy.Holds(deployer, RollbackRole.Operator)))
            return Result<LoggedStatement>.Fail(ErrorCodes.RoleNotHeld, $"{deployer ?? "this key"} is not an operator in {environment}, and may not record deployments there");
        var verified = await ReleaseVerifier.VerifyAsync(store, app, version, trust.Value, stateFile, cancellation);
        if (!verified.IsOk)
            return verified.Problem with { Message = $"{app} {version} cannot be recorded as deployed: {verified.Problem.Message}" };
        var record = verified.Value.Record;
        var release = new StatementRef(record.LogIndex!.Value, record.EnvelopeDigest);
        var predicate = new DeploymentPredicate(environment, app, version, release, tool);
        var subject = new Subject($"release:{app}@{version}", new Dictionary<string, string> { ["sha256"] = record.EnvelopeDigest["sha256:".Length..] });
        var statement = new InTotoStatement([subject], StatementKinds.PredicateType(StatementKinds.Deployment), PredicateJson.Write(predicate));
        return await new StatementLedger(store).AppendAsync(statement, signer, clock, cancellation);
    }
}
