using System.Text;
using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Signing;
using Rollproof.Storage;

namespace Rollproof.Runbooks;

/// <summary>
/// Continuing a failed execution with a corrected runbook. An operator of the request's policy signs and logs an
/// amendment (<see cref="AmendmentPredicate"/>) naming the failed execution and the digest of the runbook it ran; a
/// resume then runs the corrected runbook only if every amendment counts (logged, signed by a key the trust let sign
/// amendments at its logged time, by an operator), names an execution of this request and the runbook actually run
/// before it, and the policy lets an operator's amendment stand alone (<see cref="AmendmentRules"/>) or enough of its
/// approvers approved that amendment (<see cref="Approvals"/>), as the log says at the resume's time. The stored
/// runbook file must still be the one the first execution logged: the file is the store's, the log is the record.
/// </summary>
public static class RunbookAmendments
{
    public const int MaxReason = 4096;

    public static async Task<Result<LoggedStatement>> AmendAsync(ReleaseStore store, long requestIndex, string runbookYaml, string reason, IStatementSigner amender, TimeProvider clock, CancellationToken cancellation = default)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var predicate = MayAmend(store, requestIndex, runbookYaml, reason, trust.Value.NameOf(amender.PublicKey.KeyId));
        return predicate.IsOk
            ? await new StatementLedger(store).AppendAsync(RequestStatement.About(predicate.Value.Request, StatementKinds.RollbackAmendment, predicate.Value), amender, clock, cancellation)
            : predicate.Problem;
    }

    /// <summary>
    /// The amendment <paramref name="amender"/> (a trust-file name) may sign now, correcting the request's last
    /// execution, which must have failed, to <paramref name="runbookYaml"/>: an operator of the request's policy, with a
    /// reason, and a runbook that can run and differs from the one that failed; never while a run's start is open.
    /// </summary>
    public static Result<AmendmentPredicate> MayAmend(ReleaseStore store, long requestIndex, string runbookYaml, string reason, string? amender)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReason)
            return Result<AmendmentPredicate>.Fail(ErrorCodes.InputMalformed, $"an amendment needs a reason of at most {MaxReason} characters");
        if (RunbookCheck.Check(runbookYaml) is { IsOk: false } unusable)
            return unusable.Problem;
        var ledger = new StatementLedger(store);
        var request = ledger.Read<RollbackRequestPredicate>(requestIndex, StatementKinds.RollbackRequest);
        if (!request.IsOk)
            return request.Problem;
        var policy = RollbackExecutor.PolicyOf(store, request.Value.Predicate);
        if (!policy.IsOk)
            return policy.Problem;
        if (amender is null || !policy.Value.Holds(amender, RollbackRole.Operator))
            return Result<AmendmentPredicate>.Fail(ErrorCodes.RoleNotHeld, $"{amender ?? "this key"} is not an operator in {request.Value.Predicate.Environment}, and may not amend its rollbacks' runbooks");
        var executions = ledger.Referring<ExecutionPredicate>(request.Value.Ref, StatementKinds.Execution);
        if (!executions.IsOk)
            return executions.Problem;
        // A run under way (or crashed, to be resumed) runs the runbook its start names: an amendment waits for its end.
        if (executions.Value is [.., var open] && RunStart.Is(open.Predicate))
            return Result<AmendmentPredicate>.Fail(ErrorCodes.RequestInvalid, $"request {requestIndex} has a run's start open (execution {open.Entry.Index}): a runbook is amended once its run has ended, never while it runs");
        if (RunStart.Ended(executions.Value) is not [.., { Predicate.Outcome: "failed" } failed])
            return Result<AmendmentPredicate>.Fail(ErrorCodes.RequestInvalid, $"request {requestIndex} has no failed execution to amend: only a failed run's runbook is corrected");
        var digest = Sha256Digest.Of(Encoding.UTF8.GetBytes(runbookYaml)).ToString();
        if (digest == failed.Predicate.RunbookDigest)
            return Result<AmendmentPredicate>.Fail(ErrorCodes.RunbookInvalid, $"the runbook is the one execution {failed.Entry.Index} ran ({digest}); an amendment changes it");
        return Result<AmendmentPredicate>.Ok(new AmendmentPredicate(request.Value.Ref, failed.Ref, failed.Predicate.RunbookDigest, digest, reason, runbookYaml));
    }

    /// <summary>
    /// The runbook a resume runs: the stored one (<paramref name="stored"/>, the file's bytes) with every amendment
    /// applied in log order, each checked as the class says as of <paramref name="now"/>; an error names the amendment and why it does not hold.
    /// </summary>
    public static Result<string> Effective(ReleaseStore store, Trust.StatementRef request, byte[] stored, RollbackPolicy policy, DateTimeOffset now)
    {
        var view = LedgerView.Open(store);
        if (!view.IsOk)
            return view.Problem;
        var executions = view.Value.Referring<ExecutionPredicate>(request, StatementKinds.Execution);
        if (!executions.IsOk)
            return executions.Problem;
        var ran = executions.Value.Counted;
        var current = Sha256Digest.Of(stored).ToString();
        if (ran.Count > 0 && ran[0].Predicate.RunbookDigest != current)
            return Refused($"the stored runbook ({current}) is not the one execution {ran[0].Entry.Index} logged ({ran[0].Predicate.RunbookDigest}): it was changed after the run; a correction is made with 'rollproof rollback amend'");
        var amendments = view.Value.Referring<AmendmentPredicate>(request, StatementKinds.RollbackAmendment);
        if (!amendments.IsOk)
            return amendments.Problem;
        if (amendments.Value.SetAside is [var setAside, ..])
            return Refused($"{setAside}; the stored runbook is not resumed past an amendment that does not count");
        var text = Encoding.UTF8.GetString(stored);
        foreach (var (entry, amendment) in amendments.Value.Counted)
        {
            var at = $"amendment at log index {entry.Index}";
            if (!policy.Holds(entry.Signer!, RollbackRole.Operator))
                return Refused($"{at} is signed by {entry.Signer}, not an operator in {policy.Environment}");
            if (!ran.Any(e => e.Ref == amendment.Execution && e.Entry.Index < entry.Index))
                return Refused($"{at} names execution {amendment.Execution.LogIndex}, which is no earlier execution of request {request.LogIndex}");
            if (amendment.OldRunbookDigest != current)
                return Refused($"{at} corrects runbook {amendment.OldRunbookDigest}, but the runbook before it is {current}");
            if (Sha256Digest.Of(Encoding.UTF8.GetBytes(amendment.Runbook)).ToString() != amendment.NewRunbookDigest)
                return Refused($"{at} carries a runbook whose digest is not the {amendment.NewRunbookDigest} it names");
            if (!policy.Amendments.OperatorAlone && Approval(view.Value, policy, entry, amendment, now) is { } unapproved)
                return Refused($"{at} needs approval: {unapproved}");
            (text, current) = (amendment.Runbook, amendment.NewRunbookDigest);
        }
        return Result<string>.Ok(text);
    }

    /// <summary>The decision on an amendment's approvals as of <paramref name="now"/>, from the approvals bound to it that counted when logged (<see cref="PolicyEvaluator.EvaluateAmendment"/>).</summary>
    public static Result<PolicyDecision> Approvals(LedgerView view, RollbackPolicy policy, LoggedPredicate<AmendmentPredicate> amendment, DateTimeOffset now)
    {
        var approvals = view.Referring<ApprovalPredicate>(amendment.Ref, StatementKinds.Approval);
        if (!approvals.IsOk)
            return approvals.Problem;
        var facts = approvals.Value.Counted.Where(a => a.Entry.LoggedAt <= now)
            .Select(ApprovalFacts.Of).ToList();
        var decision = PolicyEvaluator.EvaluateAmendment(policy, amendment.Ref, amendment.Entry.Signer!, facts, now);
        return Result<PolicyDecision>.Ok(decision with { IgnoredApprovals = [.. approvals.Value.SetAside, .. decision.IgnoredApprovals] });
    }

    // Why the amendment may not run yet, or null once its approvals meet the policy.
    private static string? Approval(LedgerView view, RollbackPolicy policy, LedgerEntry entry, AmendmentPredicate amendment, DateTimeOffset now)
    {
        var decision = Approvals(view, policy, new LoggedPredicate<AmendmentPredicate>(entry, amendment), now);
        if (!decision.IsOk)
            return decision.Problem.Message;
        if (decision.Value.Status == DecisionStatus.Approved)
            return null;
        var request = amendment.Request.LogIndex;
        return $"the policy for {policy.Environment} sends an operator's amendment for approval (amendments: {{ allow: approval }}, the default), and it is {decision.Value.Status.ToString().ToLowerInvariant()}: "
            + string.Join("; ", decision.Value.Unmet.Select(r => $"{r.Rule}: {r.Detail}").Concat(decision.Value.IgnoredApprovals.Select(i => "not counted: " + i)))
            + (decision.Value.Status == DecisionStatus.Pending ? $"; approvers approve it with 'rollproof rollback approve {request} --amendment {entry.Index}'" : "; an admin may release the lock with 'rollproof rollback unlock' and a new request be made");
    }

    private static Result<string> Refused(string message) => Result<string>.Fail(ErrorCodes.AmendmentRefused, message);
}
