using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Evidence;
using Rollproof.Releases;
using Rollproof.Signing;

namespace Rollproof.Cli.Commands.Evidence;

internal static class EvidenceCommand
{
    public static Command Create(CliContext cli) => new("evidence", "Evidence packages: everything about one rollback in a zip that verifies offline with nothing but a trust file")
    {
        Export(cli), Verify(cli),
    };

    private static Command Export(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var request = new Argument<long>("ROLLBACK") { Description = "The rollback request's log index" };
        var output = new Option<string>("-o", "--output") { Description = "The package to write (a new .zip file)", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("export", "Bundle a rollback's chain (releases, deployments, policy, request, approvals, reviews, executions) and every other log entry from the request's policy on, with their envelopes, tlog-proof receipts against one checkpoint, log timestamps, SBOMs and risk assessment, and a summary for people. The package is verified before it is written.")
        {
            store, request, output, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var path = parse.GetValue(output)!;
            if (File.Exists(path))
                return cli.Fail(ErrorCodes.InputMalformed, $"'{path}' already exists: refusing to overwrite it", asJson);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var exported = await EvidenceExporter.ExportAsync(opened.Value, parse.GetValue(request), cancellation);
            if (!exported.IsOk)
                return cli.Fail(exported.Problem, asJson);
            var (package, chain) = exported.Value;
            var files = EvidenceLayout.Files(package, EvidenceSummary.Render(chain));
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                ZipFiles.Write(file, files);
            if (asJson)
                cli.WriteJson(new { package = Path.GetFullPath(path), request = package.Request, statements = package.Entries.Count, documents = package.Blobs.Count, files = files.Count, treeSize = chain.Checkpoint.Size });
            else
                cli.Out.WriteLine($"wrote {path}: {package.Entries.Count} statements, {package.Blobs.Count} documents, {files.Count} files, proven against the checkpoint of {chain.Checkpoint.Size} entries");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify(CliContext cli)
    {
        var package = new Argument<string>("PACKAGE.zip") { Description = "The evidence package" };
        var trust = new Option<string>("--trust") { Description = "The trust file: the log's key (kind 'checkpoint') and the keys allowed to sign each kind of statement", Required = true };
        var tlogPolicy = CommonOptions.TlogPolicy();
        var json = CommonOptions.Json();
        var command = new Command("verify", "Verify an evidence package offline: no network, no store, no database. Exit 0 only if every file is as exported, every signature, receipt and timestamp verifies, no log entry of the range is missing, and the policy, evaluated again, allowed every execution; otherwise names the first thing that fails.")
        {
            package, trust, tlogPolicy, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var trustBytes = InputFile.Read(parse.GetValue(trust)!, TrustFile.MaxSize, "trust file");
            var trustFile = trustBytes.IsOk ? TrustFile.Parse(trustBytes.Value) : trustBytes.Problem;
            if (!trustFile.IsOk)
                return cli.Fail(trustFile.Problem with { Message = $"{parse.GetValue(trust)}: {trustFile.Problem.Message}" }, asJson);
            var witnesses = LogAccess.LoadOptionalPolicy(parse.GetValue(tlogPolicy));
            if (!witnesses.IsOk)
                return cli.Fail(witnesses.Problem, asJson);
            var path = parse.GetValue(package)!;
            var opened = InputFile.Open(path, "evidence package");
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            using var zip = opened.Value;
            var verified = EvidenceVerifier.Verify(zip, path, trustFile.Value, witnesses.Value);
            if (!verified.IsOk)
                return cli.Fail(verified.Problem, asJson);
            var chain = verified.Value;
            var r = chain.Predicate;
            var decision = chain.Decisions[^1].Decision.Status.ToString().ToLowerInvariant();
            if (asJson)
                cli.WriteJson(new { verified = true, origin = chain.Origin, treeSize = chain.Checkpoint.Size, request = chain.Request.Entry.Index, app = r.App, environment = r.Environment, current = r.Current.Version, target = r.Target.Version, statements = chain.Entries.Count, setAside = chain.SetAside.Count, decision = decision });
            else
                cli.Out.WriteLine($"verified: rollback {chain.Request.Entry.Index} of {r.App} in {r.Environment} from {r.Current.Version} to {r.Target.Version}, {chain.Entries.Count} statements in log {chain.Origin} (every entry from {chain.First} to the checkpoint's last of {chain.Checkpoint.Size}; {chain.SetAside.Count} not about it or not counted), decision re-derived: {decision}, every file as exported");
            return ExitCodes.Ok;
        });
        return command;
    }
}
