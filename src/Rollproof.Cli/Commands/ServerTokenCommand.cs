using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Server.Access;

namespace Rollproof.Cli.Commands;

/// <summary>
/// <c>rollproof server token add|list|revoke</c>: the server's API tokens, kept in a token file as hashes only. A new
/// token is printed once and never stored; a running server honours an addition or revocation from its next request.
/// </summary>
internal static class ServerTokenCommand
{
    public static Command Create(CliContext cli) => new("server", "The Rollproof server's administration (the server itself is 'rollproof serve')")
    {
        new Command("token", "API tokens for 'rollproof serve --token-file F': each acts as one name in the store's trust (or as an auditor, who reads only)")
        {
            Add(cli), List(cli), Revoke(cli),
        },
    };

    private static Option<string> TokenFileOption() => new("--token-file") { Description = "The server's token file (hashes only)", Required = true };

    private static Command Add(CliContext cli)
    {
        var name = new Argument<string>("NAME") { Description = "The trust name the token acts as (the name 'rollproof trust add' gave the key), or the auditor's name with --auditor" };
        var file = TokenFileOption();
        var auditor = new Option<bool>("--auditor") { Description = "A read-only token: it reads what token holders may read, and submits nothing; its name need not be in the trust" };
        var json = CommonOptions.Json();
        var command = new Command("add", "Mint a token (256 random bits) for NAME: prints it once on stdout and appends only its SHA-256 to the token file (created if missing)") { name, file, auditor, json };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var tokens = TokenFile.Read(path, missingIsEmpty: true);
            if (!tokens.IsOk)
                return cli.Fail(tokens.Problem, parse.GetValue(json));
            var added = tokens.Value.Add(parse.GetValue(name)!, parse.GetValue(auditor));
            if (!added.IsOk)
                return cli.Fail(added.Problem, parse.GetValue(json));
            added.Value.File.Write(path);
            var entry = added.Value.File.Entries[^1];
            if (parse.GetValue(json))
                cli.WriteJson(new { name = entry.Name, auditor = entry.Auditor, token = added.Value.Token, hash = entry.HashText });
            else
            {
                cli.Out.WriteLine(added.Value.Token);
                cli.Error.WriteLine($"token for '{entry.Name}'{(entry.Auditor ? " (auditor)" : "")} added to {path} as {entry.HashText[..19]}…; it is shown only now: give it to its holder, who sends it as 'Authorization: Bearer TOKEN'");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext cli)
    {
        var file = TokenFileOption();
        var json = CommonOptions.Json();
        var command = new Command("list", "The tokens in the file: each one's name, role and the start of its hash (what 'token revoke' takes)") { file, json };
        command.SetAction(parse =>
        {
            var tokens = TokenFile.Read(parse.GetValue(file)!);
            if (!tokens.IsOk)
                return cli.Fail(tokens.Problem, parse.GetValue(json));
            if (parse.GetValue(json))
                cli.WriteJson(tokens.Value.Entries.Select(e => new { name = e.Name, auditor = e.Auditor, hash = e.HashText }));
            else
                foreach (var entry in tokens.Value.Entries)
                    cli.Out.WriteLine($"{entry.Name}\t{entry.HashText[..19]}{(entry.Auditor ? "\tauditor" : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(CliContext cli)
    {
        var which = new Argument<string>("NAME|sha256:PREFIX") { Description = "Every token of a name, or the one token whose hash starts so (at least 8 hex digits)" };
        var file = TokenFileOption();
        var json = CommonOptions.Json();
        var command = new Command("revoke", "Remove tokens from the file; a running server refuses them (401) from its next request") { which, file, json };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var tokens = TokenFile.Read(path);
            if (!tokens.IsOk)
                return cli.Fail(tokens.Problem, parse.GetValue(json));
            var revoked = tokens.Value.Revoke(parse.GetValue(which)!);
            if (!revoked.IsOk)
                return cli.Fail(revoked.Problem, parse.GetValue(json));
            revoked.Value.File.Write(path);
            if (parse.GetValue(json))
                cli.WriteJson(new { revoked = revoked.Value.Removed.Select(e => new { name = e.Name, hash = e.HashText }) });
            else
                cli.Out.WriteLine($"revoked {revoked.Value.Removed.Count} token(s): {string.Join(", ", revoked.Value.Removed.Select(e => $"{e.Name} {e.HashText[..19]}"))}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
