using System.CommandLine;
using Rollproof.Cli.Commands.Ledger;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;

namespace Rollproof.Cli.Commands.Rollbacks;

internal static class PolicyCommand
{
    public static Command Create(CliContext cli) => new("policy", "Rollback policies per environment: signed, logged, and changed only with admins' approval")
    {
        Set(cli), Show(cli), Decide(cli, "approve", ApprovalDecision.Approve), Decide(cli, "reject", ApprovalDecision.Reject),
    };

    private static Command Set(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var file = new Argument<string>("POLICY.yaml") { Description = "The policy (YAML; see docs/rollbacks.md); its 'environment' says which environment it governs" };
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = new Command("set", "Log a policy. An environment's first policy needs a key the trust file lets sign 'policy'; a later one is a change, proposed by an admin of the policy in force, that takes effect once enough other admins approve it.")
        {
            store, file, json,
        };
        SignedCommand.SetAction(command, cli, store, signer, json, async (parse, opened, key, asJson, cancellation) =>
        {
            var yaml = InputFile.Read(parse.GetValue(file)!, PolicyYaml.MaxSize, "policy file");
            if (!yaml.IsOk)
                return cli.Fail(yaml.Problem, asJson);
            var text = System.Text.Encoding.UTF8.GetString(yaml.Value);
            var logged = await PolicyLedger.ProposeAsync(opened, text, key, TimeProvider.System, cancellation);
            if (!logged.IsOk)
                return cli.Fail(logged.Problem with { Message = $"{parse.GetValue(file)}: {logged.Problem.Message}" }, asJson);
            IndexAccess.CatchUpAfterAppend(opened, cli);
            return PolicyStandingOutput.Report(cli, opened, PolicyYaml.Parse(text).Value.Environment, logged.Value.Ref, logged.Value, "policy", asJson);
        });
        return command;
    }

    private static Command Show(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var env = new Option<string>("--env") { Description = "The environment", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("show", "The policy in force for an environment, the statement that set it, and changes waiting for approval") { store, env, json };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var effective = PolicyLedger.Read(new StatementLedger(opened.Value), opened.Value, parse.GetValue(env)!);
            if (!effective.IsOk)
                return cli.Fail(effective.Problem, asJson);
            var e = effective.Value;
            var pending = e.Pending.Select(p => new { logIndex = p.Ref.LogIndex, author = p.Author, approvedBy = p.ApprovedBy, required = p.Required });
            if (asJson)
            {
                cli.WriteJson(new { environment = e.Policy.Environment, logIndex = e.Ref.LogIndex, digest = e.Ref.Digest, author = e.Author, pending });
                return ExitCodes.Ok;
            }
            cli.Out.WriteLine($"policy for {e.Policy.Environment}: log index {e.Ref.LogIndex}, set by {e.Author}");
            foreach (var role in Enum.GetValues<RollbackRole>())
                cli.Out.WriteLine($"  {role,-17} {string.Join(", ", e.Policy.Roles[role].Order(StringComparer.Ordinal))}");
            cli.Out.WriteLine($"  approvals: {e.Policy.Approvals.Required} distinct, security approver from {e.Policy.Approvals.SecurityApproverFrom.ToString().ToLowerInvariant()} risk; break glass: {string.Join(", ", e.Policy.Emergency.BreakGlass)} with {e.Policy.Emergency.Approvals} approval(s), review within {e.Policy.Emergency.ReviewWithin}");
            foreach (var p in e.Pending)
                cli.Out.WriteLine($"  pending change: log index {p.Ref.LogIndex} by {p.Author}, approved by {p.ApprovedBy.Count} of {p.Required}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Decide(CliContext cli, string name, ApprovalDecision decision)
    {
        var store = CommonOptions.Store(cli);
        var change = new Argument<long>("CHANGE") { Description = "The log index of the proposed policy change ('policy show' lists them)" };
        var comment = new Option<string?>("--comment") { Description = "Why, for the record" };
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = new Command(name, $"{(decision == ApprovalDecision.Approve ? "Approve" : "Reject")} a proposed policy change, as an admin of the policy in force other than its author") { store, change, comment, json };
        SignedCommand.SetAction(command, cli, store, signer, json, async (parse, opened, key, asJson, cancellation) =>
        {
            var logged = await ApprovalLedger.DecideOnPolicyChangeAsync(opened, parse.GetValue(change), decision, parse.GetValue(comment), key, TimeProvider.System, cancellation);
            if (!logged.IsOk)
                return cli.Fail(logged.Problem, asJson);
            IndexAccess.CatchUpAfterAppend(opened, cli);
            var decided = new StatementLedger(opened).Read<PolicyPredicate>(parse.GetValue(change), StatementKinds.Policy);
            if (!decided.IsOk)
                return cli.Fail(decided.Problem, asJson);
            return PolicyStandingOutput.Report(cli, opened, decided.Value.Predicate.Environment, decided.Value.Ref, logged.Value, decision == ApprovalDecision.Approve ? "approval" : "rejection", asJson);
        });
        return command;
    }
}
