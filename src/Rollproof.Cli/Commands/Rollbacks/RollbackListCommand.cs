using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;

namespace Rollproof.Cli.Commands.Rollbacks;

internal static class RollbackListCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var env = new Option<string?>("--env") { Description = "Only requests for this environment" };
        var overdue = new Option<bool>("--overdue") { Description = "Only emergencies whose after-the-fact review is overdue (exit 1 if there are any, for monitoring)" };
        var state = RollbackCommand.State();
        var at = new Option<DateTimeOffset?>("--at") { Description = "Judge as of this time instead of now" };
        var json = CommonOptions.Json();
        var command = new Command("list", "Every rollback request with its decision now and, for emergencies, where the review stands") { store, env, overdue, state, at, json };
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            // From the log, not the index: a deleted index row must not hide a request or an overdue review.
            var view = LedgerView.Open(opened.Value);
            var environment = parse.GetValue(env);
            var found = view.IsOk ? view.Value.Statements<RollbackRequestPredicate>(StatementKinds.RollbackRequest, environment: environment) : view.Problem;
            if (!found.IsOk)
                return cli.Fail(found.Problem, asJson);
            var requests = found.Value.Counted.Where(r => environment is null || r.Predicate.Environment == environment).Select(r => r.Entry.Index);
            var stateFile = parse.GetValue(state) ?? VerifierState.DefaultPath(opened.Value.Log.Config.Origin, opened.Value.Log.Verifier);
            TimeProvider clock = parse.GetValue(at) is { } when ? new FixedTime(when) : TimeProvider.System;
            var rows = new List<RequestStatus>();
            foreach (var request in requests)
            {
                var status = await RollbackDecisions.StatusAsync(opened.Value, request, stateFile, clock, cancellation);
                if (!status.IsOk)
                    return cli.Fail(status.Problem with { Message = $"request {request}: {status.Problem.Message}" }, asJson);
                if (!parse.GetValue(overdue) || status.Value.Review is { Overdue: true, ReviewedAt: null })
                    rows.Add(status.Value);
            }
            if (asJson)
                cli.WriteJson(rows.Select(r => new
                {
                    request = r.Request.Entry.Index, requester = r.Request.Entry.Signer, requestedAt = r.Request.Entry.LoggedAt, app = r.Request.Predicate.App,
                    environment = r.Request.Predicate.Environment, current = r.Request.Predicate.Current.Version, target = r.Request.Predicate.Target.Version,
                    emergency = r.Request.Predicate.Emergency, status = r.Decision.Status.ToString().ToLowerInvariant(), unmet = r.Decision.Unmet.Select(u => u.Rule),
                    review = r.Review is null ? null : new { due = r.Review.Due, reviewedAt = r.Review.ReviewedAt, reviewer = r.Review.Reviewer, overdue = r.Review.Overdue },
                }));
            else if (rows.Count == 0)
                cli.Out.WriteLine(parse.GetValue(overdue) ? "no overdue reviews" : "no rollback requests");
            else
                foreach (var r in rows)
                    cli.Out.WriteLine($"{r.Request.Entry.Index,6}  {r.Request.Predicate.Environment,-10} {r.Request.Predicate.App} {r.Request.Predicate.Current.Version} -> {r.Request.Predicate.Target.Version}  {r.Decision.Status.ToString().ToLowerInvariant(),-8}"
                        + (r.Review is { } review ? review.ReviewedAt is null ? $"  review due {review.Due:O}{(review.Overdue ? " OVERDUE" : "")}" : $"  reviewed by {review.Reviewer}" : ""));
            return parse.GetValue(overdue) && rows.Count > 0 ? ExitCodes.VerificationFailed : ExitCodes.Ok;
        });
        return command;
    }
}
