using System.Text.Json;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;
using Rollproof.Trust;

namespace Rollproof.Fuzz.Targets;

/// <summary>One reader per Rollproof predicate: the kind, its predicate type, the typed read, and a sample predicate the code writes.</summary>
internal sealed record PredicateReader(string Kind, Func<InTotoStatement, bool> Read, Func<JsonElement> Sample)
{
    public string PredicateType => StatementKinds.PredicateType(Kind);

    public static IReadOnlyList<PredicateReader> All { get; } =
    [
        Of<ReleasePredicate>(StatementKinds.Release),
        Of<DeploymentPredicate>(StatementKinds.Deployment),
        Of<PolicyPredicate>(StatementKinds.Policy),
        Of<RollbackRequestPredicate>(StatementKinds.RollbackRequest),
        Of<ApprovalPredicate>(StatementKinds.Approval),
        Of<ReviewPredicate>(StatementKinds.Review),
        Of<ExecutionPredicate>(StatementKinds.Execution),
        Of<NotificationPredicate>(StatementKinds.Notification),
        Of<ReportPredicate>(StatementKinds.Report),
        Of<KeyChangePredicate>(StatementKinds.KeyChange),
        Of<LockOverridePredicate>(StatementKinds.LockOverride),
    ];

    // Read under the statement's own type, so every reader deserialises whatever predicate the input holds.
    private static PredicateReader Of<T>(string kind) where T : class =>
        new(kind, statement => PredicateJson.Read<T>(statement, statement.PredicateType, "a " + kind).IsOk, () => PredicateJson.Write(Seeds.SampleValues.Of<T>()));
}
