using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Rollbacks.Risk;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Evidence;

/// <summary>
/// Evaluates the request's policy again from the package alone, as the executor did: the policy statement's YAML, the
/// request, the risk computed again from the package (<see cref="EvidenceRisk"/>; a request stating another fails the
/// package), and the approvals in the chain (signed by keys trusted for approvals when logged), judged at each
/// execution's logged time with the approvals logged before it; the execution that ends a run is also allowed on the
/// run's start (<see cref="Runbooks.RunStart"/>: the chain's previous execution, a start by the same person, which was
/// allowed when logged). An execution the policy did not allow then, or run by someone who is not an operator, fails
/// the package naming the rule. The package's decision is also judged as of its last entry, for the summary.
/// </summary>
internal static class EvidencePolicy
{
    public static Result<IReadOnlyList<PolicyJudgement>> Judge(CheckedChain chain, TrustFile trust)
    {
        var r = chain.Predicate;
        var byIndex = chain.Entries.ToDictionary(e => e.Entry.Index);
        var policy = PolicyOf(chain);
        if (!policy.IsOk)
            return policy.Problem;
        var target = byIndex[r.Target.Release.LogIndex];
        var risk = EvidenceRisk.Read(chain);
        if (!risk.IsOk)
            return risk.Problem;
        // Approvals of the request's runbook amendments are in the chain too; they are judged with the amendments (EvidenceAmendments).
        var approvals = RequestApprovals(chain, trust);

        // The risk computed again as of then (the target's key revoked by then refuses the rollback, as the executor's
        // integrity check does); a request stating another risk is refused, as live decisions refuse it.
        Result<PolicyDecision> At(DateTimeOffset time, long before)
        {
            var assessed = risk.Value.At(trust, time);
            if (StatedRisk.WhyNot(r.Risk, chain.Blobs[r.Risk.AssessmentDigest], assessed) is { } why)
                return EvidenceChecker.Fail(EvidenceLayout.EntryPath(chain.Request.Entry.Index, StatementKinds.RollbackRequest, ".dsse.json"),
                    $"the request is inconsistent with the risk the package's releases, SBOMs, feed and down scripts give as of {time:O}: {why}");
            var facts = RollbackDecisions.Facts(r, new StatementRef(chain.Request.Entry.Index, chain.Request.Digest), Name(trust, chain.Request), chain.Request.LoggedAt, target.LoggedAt, assessed);
            return Result<PolicyDecision>.Ok(PolicyEvaluator.Evaluate(policy.Value, facts, [.. approvals.Where(a => a.LogIndex < before)], time));
        }

        var judgements = new List<PolicyJudgement>();
        var starts = StartsContinued(chain, trust);
        foreach (var execution in chain.Entries.Where(e => e.Entry.Kind == StatementKinds.Execution))
        {
            var path = EvidenceLayout.EntryPath(execution.Entry.Index, StatementKinds.Execution, ".dsse.json");
            var judged = At(execution.LoggedAt, execution.Entry.Index);
            if (!judged.IsOk)
                return judged.Problem;
            var judgement = new PolicyJudgement(execution.Entry.Index, execution.LoggedAt, judged.Value);
            // A start in the chain was judged before the end that continues it, and passed: the run it ends was allowed then.
            if (judged.Value.Status != DecisionStatus.Approved && starts.TryGetValue(execution.Entry.Index, out var start))
                judgement = judgements.Single(j => j.Execution == start.Entry.Index) with { Execution = execution.Entry.Index, Start = start.Entry.Index };
            var decision = judgement.Decision;
            if (decision.Status != DecisionStatus.Approved)
                return EvidenceChecker.Fail(path, $"the policy (log index {r.Policy.LogIndex}) did not allow this execution at its logged time {execution.LoggedAt:O}{EndsNoRun(execution)}: the request was {decision.Status.ToString().ToLowerInvariant()} ({string.Join("; ", decision.Unmet.Select(u => $"{u.Rule}: {u.Detail}"))})");
            var runner = Name(trust, execution);
            if (!policy.Value.Holds(runner, RollbackRole.Operator))
                return EvidenceChecker.Fail(path, $"run by {runner}, who is not an operator in {policy.Value.Environment} under the policy (log index {r.Policy.LogIndex})");
            judgements.Add(judgement);
        }
        var last = chain.Entries.Select(e => e.LoggedAt).Concat(chain.SetAside.Select(e => e.LoggedAt).OfType<DateTimeOffset>()).Max();
        var now = At(last, long.MaxValue);
        if (!now.IsOk)
            return now.Problem;
        judgements.Add(new PolicyJudgement(null, last, now.Value));
        return Result<IReadOnlyList<PolicyJudgement>>.Ok(judgements);
    }

    /// <summary>
    /// For each execution of the chain that ends a run, the start it continues (<see cref="Runbooks.RunStart.OfEnd"/>):
    /// the chain's previous execution, if a start signed by the same person, of the same runbook and drill flag, and
    /// no approver of the policy rejected the request between the two (<see cref="Runbooks.RunStart.RejectedAfter"/>).
    /// </summary>
    internal static IReadOnlyDictionary<long, CheckedEntry> StartsContinued(CheckedChain chain, TrustFile trust)
    {
        var starts = new Dictionary<long, CheckedEntry>();
        var policy = PolicyOf(chain);
        if (!policy.IsOk)
            return starts;
        var approvals = RequestApprovals(chain, trust);
        var executions = chain.Entries.Where(e => e.Entry.Kind == StatementKinds.Execution).ToList();
        static Runbooks.ExecutionPredicate? Predicate(CheckedEntry e) => LoggedPredicate.Of<Runbooks.ExecutionPredicate>(e.Statement, StatementKinds.Execution);
        for (var i = 1; i < executions.Count; i++)
            if (Runbooks.RunStart.OfEnd(executions.Take(i), executions[i], Predicate, e => Name(trust, e)) is { } start
                && !Runbooks.RunStart.RejectedAfter(policy.Value, approvals.Where(a => a.LogIndex < executions[i].Entry.Index), start.Entry.Index))
                starts[executions[i].Entry.Index] = start;
        return starts;
    }

    // The chain's approvals and rejections of the request itself (not of its amendments).
    private static List<ApprovalFacts> RequestApprovals(CheckedChain chain, TrustFile trust)
    {
        var requestRef = new StatementRef(chain.Request.Entry.Index, chain.Request.Digest);
        return ApprovalsOf(chain, trust).Where(a => a.BoundTo == requestRef).ToList();
    }

    // What an end of a run could have leaned on and did not.
    private static string EndsNoRun(CheckedEntry execution) =>
        LoggedPredicate.Of<Runbooks.ExecutionPredicate>(execution.Statement, StatementKinds.Execution) is { } e && !Runbooks.RunStart.Is(e)
            ? ", and it follows no start of its run by the same operator that the policy allowed"
            : "";

    /// <summary>The policy the request names, as the chain holds it.</summary>
    internal static Result<RollbackPolicy> PolicyOf(CheckedChain chain)
    {
        var reference = chain.Predicate.Policy;
        var statement = chain.Entries.First(e => e.Entry.Index == reference.LogIndex).Statement;
        var policy = LoggedPredicate.Of<PolicyPredicate>(statement, StatementKinds.Policy) is { } p
            ? PolicyYaml.Parse(p.Yaml)
            : Result<RollbackPolicy>.Fail(ErrorCodes.PolicyInvalid, "does not read as a policy statement");
        return policy.IsOk ? policy : EvidenceChecker.Fail(EvidenceLayout.EntryPath(reference.LogIndex, StatementKinds.Policy, ".dsse.json"), policy.Problem.Message);
    }

    /// <summary>Every approval and rejection of the chain (of the request or of one of its amendments), by whom as the trust file names them.</summary>
    internal static IReadOnlyList<ApprovalFacts> ApprovalsOf(CheckedChain chain, TrustFile trust) =>
        [.. chain.Entries.Where(e => e.Entry.Kind == StatementKinds.Approval).Select(e => (Entry: e, Approval: LoggedPredicate.Of<ApprovalPredicate>(e.Statement, StatementKinds.Approval)!))
            .Select(a => new ApprovalFacts(a.Entry.Entry.Index, Name(trust, a.Entry), a.Entry.LoggedAt, a.Approval.Subject, a.Approval.Decision, a.Approval.ExpiresAt, a.Approval.Conditions))];

    // Policies name people as the trust file does; a counted statement's key is always in it.
    private static string Name(TrustFile trust, CheckedEntry entry) => trust.NameOf(entry.SignedBy) ?? entry.SignedBy;
}
