using Rollproof.Cli.Infrastructure;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;

namespace Rollproof.Cli.Commands.Rollbacks;

/// <summary>A policy decision as JSON for scripts.</summary>
internal static class DecisionJson
{
    public static object Of(PolicyDecision decision, ReviewState? review = null) => new
    {
        status = decision.Status.ToString().ToLowerInvariant(),
        breakGlass = decision.BreakGlass,
        unmet = decision.Unmet.Select(r => r.Rule),
        rules = decision.Rules.Select(r => new { rule = r.Rule, met = r.Met, detail = r.Detail }),
        countedApprovers = decision.CountedApprovers,
        ignoredApprovals = decision.IgnoredApprovals,
        conditions = decision.Conditions,
        reviewDue = decision.ReviewDue,
        review = review is null ? null : new { due = review.Due, reviewedAt = review.ReviewedAt, reviewer = review.Reviewer, overdue = review.Overdue },
    };
}

/// <summary>A policy decision for people: the status, then exactly which rules are unmet and why.</summary>
internal static class DecisionText
{
    public static void Write(CliContext cli, PolicyDecision decision, ReviewState? review = null)
    {
        cli.Out.WriteLine($"decision: {decision.Status.ToString().ToLowerInvariant()}{(decision.BreakGlass ? " (break glass)" : "")}");
        foreach (var rule in decision.Rules)
            cli.Out.WriteLine($"  [{(rule.Met ? "ok" : "--")}] {rule.Rule,-24} {rule.Detail}");
        foreach (var ignored in decision.IgnoredApprovals)
            cli.Out.WriteLine($"  not counted: {ignored}");
        foreach (var condition in decision.Conditions)
            cli.Out.WriteLine($"  condition: {condition}");
        if (review is not null)
            cli.Out.WriteLine(review.ReviewedAt is { } at
                ? $"  review: by {review.Reviewer} (log index {at}){(review.Overdue ? ", after the deadline" : "")}"
                : $"  review: due by {review.Due:O}{(review.Overdue ? " -- OVERDUE" : "")}");
    }
}
