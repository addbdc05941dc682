using System.CommandLine;
using Rollproof.Cli.Commands.Ledger;
using Rollproof.Cli.Infrastructure;
using Rollproof.Rollbacks;

namespace Rollproof.Cli.Commands.Rollbacks;

internal static class RollbackRequestCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var env = new Option<string>("--env") { Description = "The environment to roll back, e.g. prod", Required = true };
        var app = new Option<string?>("--app") { Description = "The application (needed only when the environment runs more than one)" };
        var to = new Option<string>("--to") { Description = "The version to go back to: a release that was logged and deployed to this environment before", Required = true };
        var reason = new Option<string>("--reason") { Description = "security-patch, critical-bug, performance or other", Required = true };
        reason.AcceptOnlyFromAmong([.. RollbackRequestPredicate.Reasons]);
        var rationale = new Option<string>("--rationale") { Description = "Why, in a sentence or two, for the approvers and the auditors", Required = true };
        var ticket = new Option<string>("--ticket") { Description = "The incident or change ticket (the policy may require a pattern)", Required = true };
        var emergency = new Option<bool>("--emergency") { Description = "Break glass: the policy's emergency rules apply, and a review falls due after the fact" };
        var testResults = new Option<string?>("--test-results") { Description = "A file of test results to attach as evidence (stored by digest)" };
        var vulns = new Option<string?>("--vulns") { Description = "A directory of OSV records and CycloneDX VEX documents: the local vulnerability feed for the analysis" };
        var state = RollbackCommand.State();
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = new Command("request", "Request a rollback: the current release and the target come from the ledger, the target is verified, the security implications of going back are analysed, and the request is signed with your key and logged. Prints the request's log index and the policy's first decision.")
        {
            store, env, app, to, reason, rationale, ticket, emergency, testResults, vulns, state, json,
        };
        SignedCommand.SetAction(command, cli, store, signer, json, async (parse, opened, key, asJson, cancellation) =>
        {
            var ask = new RollbackAsk(parse.GetValue(env)!, parse.GetValue(app), parse.GetValue(to)!, parse.GetValue(reason)!, parse.GetValue(rationale)!, parse.GetValue(ticket)!,
                parse.GetValue(emergency), parse.GetValue(testResults), parse.GetValue(vulns));
            var stateFile = parse.GetValue(state) ?? VerifierState.DefaultPath(opened.Log.Config.Origin, opened.Log.Verifier);
            var filed = await RollbackRequester.RequestAsync(opened, ask, key, stateFile, TimeProvider.System, cancellation);
            if (!filed.IsOk)
                return cli.Fail(filed.Problem, asJson);
            IndexAccess.CatchUpAfterAppend(opened, cli);
            var (logged, request, risk, decision) = filed.Value;
            if (asJson)
            {
                cli.WriteJson(new
                {
                    logIndex = logged.Ref.LogIndex, digest = logged.Ref.Digest, loggedAt = logged.Timestamp.Time,
                    app = request.App, environment = request.Environment, current = request.Current.Version, target = request.Target.Version,
                    risk, assessmentDigest = request.Risk.AssessmentDigest, reintroducedVulnerabilities = risk.ReintroducedVulnerabilities,
                    decision = DecisionJson.Of(decision),
                });
                return ExitCodes.Ok;
            }
            cli.Out.WriteLine($"logged rollback request {logged.Ref.LogIndex}: {request.App} in {request.Environment} from {request.Current.Version} to {request.Target.Version}{(request.Emergency ? " (emergency)" : "")}");
            cli.Out.WriteLine($"risk: {risk.Level.ToString().ToLowerInvariant()}, {risk.Findings.Count} finding(s) (full assessment: {request.Risk.AssessmentDigest})");
            foreach (var finding in risk.Findings)
                cli.Out.WriteLine($"  {finding.Severity.ToString().ToLowerInvariant(),-8} {finding.Code,-36} {finding.Message}");
            DecisionText.Write(cli, decision);
            return ExitCodes.Ok;
        });
        return command;
    }
}
