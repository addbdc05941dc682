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
        review = Review(review),
    };

    /// <summary>An emergency's review: <c>reviewedAt</c> is the log's time for it, <c>reviewIndex</c> its log index; <c>late</c> when it came after the deadline.</summary>
    public static object? Review(ReviewState? review) => review is null ? null
        : new { due = review.Due, reviewedAt = review.ReviewedAt, reviewIndex = review.ReviewIndex, reviewer = review.Reviewer, overdue = review.Overdue, late = review.Late };
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
                ? $"  review: by {review.Reviewer} at {at:O} (log index {review.ReviewIndex}){(review.Late ? $", after the deadline {review.Due:O}" : "")}"
                : $"  review: due by {review.Due:O}{(review.Overdue ? " -- OVERDUE" : "")}");
    }
}

/// <summary>Where a request stands (<see cref="Runbooks.RequestProgress"/>), the same fields as JSON and as text.</summary>
internal static class ProgressOutput
{
    public static object Json(Runbooks.RequestProgress p) => new
    {
        state = p.State,
        approvals = new { counted = p.Approvals, required = p.RequiredApprovals },
        requestedAt = p.RequestedAt, approvedAt = p.ApprovedAt, startedAt = p.Started, finishedAt = p.Finished,
        step = p.Step is null ? null : new { id = p.Step, number = p.StepNumber, of = p.StepCount },
        execution = p.Execution,
        source = p.FromJournal ? "journal" : "log",
        note = p.Note,
    };

    /// <summary>The state with its times (to the second, UTC), saying so when the state comes from the journal rather than the log.</summary>
    public static string Text(Runbooks.RequestProgress p) =>
        p.Describe()
        + $", requested {Time(p.RequestedAt)}"
        + (p.ApprovedAt is { } approved ? $", approved {Time(approved)}" : "")
        + (p.Started is { } started ? $", started {Time(started)}" : "")
        + (p.Finished is { } finished ? $", finished {Time(finished)}" : "")
        + (p.Execution is { } execution && !p.FromJournal ? $" (execution log index {execution})" : "")
        + (p.FromJournal ? " (from the execution journal, which is not signed)" : "")
        + (p.Note is { } note ? $"; {note}" : "");

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
