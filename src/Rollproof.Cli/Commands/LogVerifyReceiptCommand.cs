using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Cli.Commands;

internal static class LogVerifyReceiptCommand
{
    public static Command Create(CliContext cli)
    {
        var receipt = new Argument<string>("RECEIPT") { Description = "A tlog-proof receipt file" };
        var entry = new Option<string>("--entry") { Description = "The logged entry's bytes, as a file", Required = true };
        var vkey = new Option<string?>("--vkey") { Description = "The log's verifier key (no witnesses required)" };
        var policy = new Option<string?>("--policy") { Description = "A tlog-policy file (logs, witnesses, quorum)" };
        var json = CommonOptions.Json();
        var command = new Command("verify-receipt", "Verify a receipt offline: the checkpoint's signatures under a key or policy, and the entry's inclusion in it. Give exactly one of --vkey and --policy.")
        {
            receipt, entry, vkey, policy, json,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetResult(vkey) is null) == (result.GetResult(policy) is null))
                result.AddError("give exactly one of --vkey and --policy");
        });
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var trust = LoadPolicy(parse.GetValue(vkey), parse.GetValue(policy));
            if (!trust.IsOk)
                return cli.Fail(trust.Problem, asJson);
            var receiptBytes = InputFile.Read(parse.GetValue(receipt)!, TlogProof.MaxSize, "receipt");
            if (!receiptBytes.IsOk)
                return cli.Fail(receiptBytes.Problem, asJson);
            var parsed = TlogProof.Parse(receiptBytes.Value);
            if (!parsed.IsOk)
                return cli.Fail(parsed.Problem with { Message = $"{parse.GetValue(receipt)}: {parsed.Problem.Message}" }, asJson);
            var entryBytes = InputFile.Read(parse.GetValue(entry)!, EntryBundle.MaxEntrySize, "entry file");
            if (!entryBytes.IsOk)
                return cli.Fail(entryBytes.Problem, asJson);
            var verified = parsed.Value.Verify(MerkleHasher.LeafHash(entryBytes.Value), trust.Value);
            if (!verified.IsOk)
                return cli.Fail(verified.Problem, asJson);
            var d = verified.Value;
            if (asJson)
                cli.WriteJson(new { verified = true, index = parsed.Value.Index, origin = d.Checkpoint.Origin, treeSize = d.Checkpoint.Size, cosigners = d.Cosigners });
            else
                cli.Out.WriteLine($"verified: entry {parsed.Value.Index} is in '{d.Checkpoint.Origin}' at tree size {d.Checkpoint.Size}" + (d.Cosigners.Count > 0 ? $", cosigned by {string.Join(", ", d.Cosigners)}" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Result<TlogPolicy> LoadPolicy(string? vkey, string? policyFile) =>
        vkey is not null ? NoteKeys.ParseVerifierKey(vkey).Map(TlogPolicy.ForLog) : LogAccess.LoadPolicy(policyFile!);
}
