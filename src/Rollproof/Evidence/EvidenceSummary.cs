using System.Text;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;

namespace Rollproof.Evidence;

/// <summary>
/// The package's summary for people, written only from what verified: who asked for what and why, the risk, who
/// approved and when, what ran, what each audience was told, the releases by digest, and the log they are all in.
/// Signers are named as the trust file names them, with their key IDs: the names are the ones the policy's roles use,
/// so a reader whose trust file names the keys otherwise could not verify the policy's decisions either.
/// </summary>
public static class EvidenceSummary
{
    public static string Render(CheckedChain chain)
    {
        var r = chain.Predicate;
        var text = new StringBuilder();
        text.Append($"# Rollback evidence: {r.App} in {r.Environment}, {r.Current.Version} to {r.Target.Version}\n\n");
        text.Append($"Log `{chain.Origin}`, checkpoint of {chain.Checkpoint.Size} entries, root `{Convert.ToBase64String(chain.Checkpoint.RootHash)}`.\n");
        text.Append($"The package holds every entry of the log from index {chain.First} to {chain.Checkpoint.Size - 1}: nothing logged about the request up to this checkpoint is left out.\n");
        text.Append("Times are the log's signed entry timestamps; signers are named as the trust file names them, with their key IDs.\n\n");
        text.Append("## Request\n\n");
        text.Append($"- log index {chain.Request.Entry.Index}, {Time(chain.Request)}, signed by {By(chain.Request)}{(r.Emergency ? ", **emergency (break glass)**" : "")}\n");
        text.Append($"- reason: {r.Reason}; ticket: {r.Ticket}\n- rationale: {r.Rationale}\n");
        text.Append($"- policy: log index {r.Policy.LogIndex}\n");
        if (r.TestResultsDigest is { } results)
            text.Append($"- test results: `{results}`\n");
        text.Append($"\n## Risk: {r.Risk.Level.ToString().ToLowerInvariant()} ({r.Risk.FindingCount} findings; full assessment `{r.Risk.AssessmentDigest}`)\n\n");
        foreach (var finding in r.Risk.TopFindings)
            text.Append($"- {finding.Severity.ToString().ToLowerInvariant()} `{finding.Code}`: {finding.Message}\n");
        text.Append("\n## Decisions and reviews\n\n");
        foreach (var entry in chain.Entries.Where(e => e.Entry.Kind is StatementKinds.Approval or StatementKinds.Review))
            text.Append($"- log index {entry.Entry.Index}: {Describe(entry, chain.Request.Entry.Index)}, {Time(entry)}, {By(entry)}\n");
        AppendDecisions(text, chain);
        text.Append("\n## Executions\n\n");
        foreach (var entry in chain.Entries.Where(e => e.Entry.Kind == StatementKinds.Execution))
            if (LoggedPredicate.Of<Runbooks.ExecutionPredicate>(entry.Statement, entry.Entry.Kind) is { } x)
            {
                text.Append($"- log index {entry.Entry.Index}: runbook {x.Runbook} {x.Outcome}{(x.FailedStep is { } f ? $" at {f}" : "")}, {Time(entry)}, {By(entry)}; journal `{x.JournalDigest}`\n");
                foreach (var step in x.Steps)
                    text.Append($"  - {step.Id} ({step.Uses}): {step.Outcome}{(step.Started is { } s && step.Ended is { } e ? $", {(e - s).TotalSeconds:0.0} s" : "")}\n");
            }
        foreach (var entry in chain.Entries.Where(e => e.Entry.Kind == StatementKinds.RollbackAmendment))
            if (LoggedPredicate.Of<Runbooks.AmendmentPredicate>(entry.Statement, entry.Entry.Kind) is { } amended)
                text.Append($"- log index {entry.Entry.Index}: runbook amended after execution {amended.Execution.LogIndex}, from `{amended.OldRunbookDigest}` to `{amended.NewRunbookDigest}`, {Time(entry)}, key `{entry.SignedBy}`{AmendmentApprovals(chain, entry.Entry.Index)}\n  > {amended.Reason.ReplaceLineEndings("\n  > ")}\n");
        foreach (var entry in chain.Entries.Where(e => e.Entry.Kind == StatementKinds.Report))
            if (LoggedPredicate.Of<Runbooks.ReportPredicate>(entry.Statement, entry.Entry.Kind) is { } report)
            {
                text.Append($"- log index {entry.Entry.Index}: reconciliation report, {Time(entry)}, {By(entry)}; approvers {string.Join(", ", report.Approvers)}\n");
                foreach (var (name, digest) in report.Snapshots.OrderBy(s => s.Key, StringComparer.Ordinal))
                    text.Append($"  - snapshot {name}: `{digest}`\n");
                foreach (var (name, count) in report.Counts.OrderBy(c => c.Key, StringComparer.Ordinal))
                    text.Append($"  - {name}: {count}\n");
                foreach (var rows in report.Rows ?? [])
                    text.Append($"  - rows of {rows.Table} in {rows.Database}: {rows.Before?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} at the snapshot, {rows.After?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not counted"} after\n");
            }
        text.Append("\n## Notifications\n\n");
        foreach (var entry in chain.Entries.Where(e => e.Entry.Kind == StatementKinds.Notification))
            if (LoggedPredicate.Of<Runbooks.NotificationPredicate>(entry.Statement, entry.Entry.Kind) is { } told)
                text.Append($"- log index {entry.Entry.Index}: {told.Phase} via {told.Channel}, {Time(entry)}, {By(entry)}; `{told.MessageDigest}`\n  > {told.Message.ReplaceLineEndings("\n  > ")}\n");
        text.Append("\n## Releases and deployments\n\n");
        foreach (var entry in chain.Entries.Where(e => e.Entry.Kind is StatementKinds.Release or StatementKinds.Deployment or StatementKinds.Policy))
            text.Append($"- log index {entry.Entry.Index}: {Describe(entry, chain.Request.Entry.Index)}, {Time(entry)}, {By(entry)}\n");
        if (chain.Placed.Count > 0)
        {
            text.Append("\n## Earlier rollbacks that put a side in place\n\n");
            foreach (var entry in chain.Placed)
                text.Append($"- log index {entry.Entry.Index}: {Placing(entry)}, {Time(entry)}, {By(entry)}\n");
        }
        text.Append("\n## Other entries of the range\n\n");
        foreach (var other in chain.SetAside)
            text.Append($"- log index {other.Index}: {other.Kind}, {other.Why}{(other.LoggedAt is null ? " (the log holds no signed entry timestamp for it)" : "")}\n");
        return text.ToString();
    }

    // Derived by the verifier from the policy, the request and the approvals, never copied from a stored claim.
    private static void AppendDecisions(StringBuilder text, CheckedChain chain)
    {
        text.Append($"\n## Policy decision (evaluated again from the policy at log index {chain.Predicate.Policy.LogIndex})\n\n");
        foreach (var (execution, at, decision, start) in chain.Decisions)
        {
            var when = (execution, start) switch
            {
                ({ } index, { } started) => $"for execution {index}, when its run's start (execution {started}) was logged",
                ({ } index, null) => $"when execution {index} was logged",
                _ => "as of the package's last entry",
            };
            text.Append($"- {when}, {at:yyyy-MM-dd'T'HH:mm:ss'Z'}: **{decision.Status.ToString().ToLowerInvariant()}**{(decision.BreakGlass ? " (break glass)" : "")}\n");
            foreach (var rule in decision.Rules)
                text.Append($"  - {rule.Rule}: {(rule.Met ? "met" : "not met")}, {rule.Detail}\n");
            foreach (var ignored in decision.IgnoredApprovals)
                text.Append($"  - not counted: {ignored}\n");
        }
    }

    // The amendment's approvals as the verifier judged them (none where the policy lets an operator's amendment stand alone).
    private static string AmendmentApprovals(CheckedChain chain, long amendment) =>
        chain.AmendmentDecisions.TryGetValue(amendment, out var decision) && decision.RequiredApprovals > 0
            ? $"; {(decision.CountedApprovers.Count > 0 ? "approved by " + string.Join(", ", decision.CountedApprovers) : "approved by nobody")} ({decision.CountedApprovers.Count} of {decision.RequiredApprovals}){string.Concat(decision.IgnoredApprovals.Select(i => $"; not counted: {i}"))}"
            : "";

    private static string By(CheckedEntry entry) => $"{entry.Signer} (key `{entry.SignedBy}`)";

    private static string Time(CheckedEntry entry) => $"logged {entry.LoggedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}";

    // What shows an earlier rollback: its request, the policy that request was made under, and the execution that completed it.
    private static string Placing(CheckedEntry entry) => entry.Entry.Kind switch
    {
        StatementKinds.RollbackRequest when LoggedPredicate.Of<RollbackRequestPredicate>(entry.Statement, entry.Entry.Kind) is { } q => $"rollback request of {q.App} in {q.Environment} from {q.Current.Version} to {q.Target.Version}",
        StatementKinds.Execution when LoggedPredicate.Of<Runbooks.ExecutionPredicate>(entry.Statement, entry.Entry.Kind) is { } x => $"execution of request {x.Request.LogIndex}, runbook {x.Runbook}: {x.Outcome}",
        StatementKinds.Policy => "the policy that request was made under",
        _ => entry.Entry.Kind,
    };

    private static string Describe(CheckedEntry entry, long request)
    {
        var statement = entry.Statement;
        switch (entry.Entry.Kind)
        {
            case StatementKinds.Release when ReleaseStatement.Read(statement) is { IsOk: true } release:
                return $"release {release.Value.App} {release.Value.Version} ({string.Join(", ", statement.Subjects.Select(s => $"{s.Name} sha256:{s.Digest.GetValueOrDefault("sha256")}"))}"
                    + (release.Value.Sbom is { } sbom ? $"; SBOM `{sbom.Digest}`)" : ")");
            case StatementKinds.Deployment when LoggedPredicate.Of<DeploymentPredicate>(statement, entry.Entry.Kind) is { } d:
                return $"deployment of {d.App} {d.Version} to {d.Environment}";
            case StatementKinds.Approval when LoggedPredicate.Of<ApprovalPredicate>(statement, entry.Entry.Kind) is { } a:
                return $"{(a.Decision == Rollbacks.Policy.ApprovalDecision.Approve ? "approval" : "rejection")}{(a.Subject.LogIndex == request ? "" : $" of amendment {a.Subject.LogIndex}")}"
                    + (a.Conditions.Count > 0 ? $" with conditions ({string.Join("; ", a.Conditions)})" : "") + (a.ExpiresAt is { } e ? $", expiring {e:yyyy-MM-dd'T'HH:mm:ss'Z'}" : "");
            case StatementKinds.Review when LoggedPredicate.Of<ReviewPredicate>(statement, entry.Entry.Kind) is { } v:
                return $"after-the-fact review: {v.Outcome} ({v.Comment})";
            case StatementKinds.Policy:
                return "the policy the request was made under";
            default:
                return entry.Entry.Kind;
        }
    }
}
