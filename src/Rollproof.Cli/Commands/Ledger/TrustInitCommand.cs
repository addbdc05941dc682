using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Cli.Commands.Ledger;

/// <summary>
/// Writes a starting trust file for <c>rollproof init --trust</c> from the command line, so that nobody writes trust
/// JSON by hand: each key by name and public key file, with its kinds spelled out or given by a role.
/// </summary>
internal static class TrustInitCommand
{
    public static Command Create(CliContext cli)
    {
        var output = new Option<string>("--output", "-o") { Description = "The trust file to write (a new file; never overwritten), or - for stdout", Required = true };
        var keys = TrustOptions.Grants("--key", $"A key and the kinds it may sign, NAME=PUBLIC_KEY_FILE:KIND[,KIND…] (repeatable); kinds: {string.Join(", ", TrustOptions.Grantable)}", null);
        var roles = TeamRoles.Kinds.Select(r => TrustOptions.Grants("--" + r.Key, $"A key in the {r.Key} role, NAME=PUBLIC_KEY_FILE (repeatable): it may sign {string.Join(", ", r.Value)}", r.Value)).ToList();
        var validFrom = new Option<DateTimeOffset?>("--valid-from") { Description = "Start of every key's window (default: the start of the current second)" };
        var validUntil = new Option<DateTimeOffset?>("--valid-until") { Description = "End of every key's window (default: none)" };
        var json = CommonOptions.Json();
        var command = new Command("init", "Write a trust file for 'rollproof init DIR --trust FILE': which keys may sign which kinds of statement, from when") { output, keys };
        Option[] after = [.. roles, validFrom, validUntil, json];
        foreach (var option in after)
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var path = parse.GetValue(output)!;
            var grants = new[] { keys }.Concat(roles).SelectMany(o => parse.GetValue(o) ?? []).ToList();
            var from = parse.GetValue(validFrom) ?? LogSeconds.Floor(TimeProvider.System.GetUtcNow());
            var until = parse.GetValue(validUntil);
            if (Misuse(grants, path, asJson, from, until) is { } misuse)
                return cli.Usage(misuse, asJson);
            var trust = Build(grants, from, until);
            if (!trust.IsOk)
                return cli.Fail(trust.Problem, asJson);
            if (path == "-")
            {
                cli.Out.WriteLine(System.Text.Encoding.UTF8.GetString(trust.Value.ToJson()));
                return ExitCodes.Ok;
            }
            try
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                file.Write(trust.Value.ToJson());
            }
            catch (IOException) when (File.Exists(path))
            {
                return cli.Fail(ErrorCodes.InputMalformed, $"--output '{path}' already exists: refusing to overwrite it", asJson);
            }
            var views = trust.Value.Keys.Select(TrustedKeyView.Of).ToList();
            if (asJson)
                cli.WriteJson(new { trustFile = Path.GetFullPath(path), keys = views });
            else
                cli.Out.WriteLine($"wrote {path}: {views.Count} keys\n  {string.Join("\n  ", views.Select(v => v.Line()))}\nnext: rollproof init STORE --trust {path}");
            return ExitCodes.Ok;
        });
        return command;
    }

    // Mistakes on the command line itself, found before any key file is read.
    private static string? Misuse(List<KeyGrant> grants, string path, bool asJson, DateTimeOffset from, DateTimeOffset? until)
    {
        if (grants.Count == 0)
            return $"give at least one key: --key or a role ({string.Join(", ", TeamRoles.Kinds.Keys.Select(r => "--" + r))})";
        if (grants.GroupBy(g => g.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return $"the name '{twice.Key}' is given twice ({string.Join(" and ", twice.Select(Quoted))}): one name, one key";
        if (path == "-" && asJson)
            return "--output - writes the trust file to stdout: give a file with --json, or leave --json out";
        return until <= from ? $"--valid-until '{until:O}' must come after --valid-from '{from:O}'" : null;
    }

    private static Result<TrustFile> Build(List<KeyGrant> grants, DateTimeOffset from, DateTimeOffset? until)
    {
        var trust = TrustFile.Empty;
        var givenBy = new Dictionary<string, KeyGrant>(StringComparer.Ordinal);
        foreach (var grant in grants)
        {
            var key = PublicKeyFile.Read(grant.PublicKeyFile);
            if (!key.IsOk)
                return key.Problem with { Message = $"{Quoted(grant)}: {key.Problem.Message}" };
            if (!givenBy.TryAdd(key.Value.KeyId, grant))
                return Result<TrustFile>.Fail(ErrorCodes.InputMalformed, $"{Quoted(givenBy[key.Value.KeyId])} and {Quoted(grant)} are the same public key ({key.Value.KeyId}) under two names: one key, one name, so that every statement names who signed it");
            trust = trust.With(new TrustedKey(grant.Name, key.Value, grant.Kinds.ToHashSet(StringComparer.Ordinal), from, until));
        }
        return Result<TrustFile>.Ok(trust);
    }

    private static string Quoted(KeyGrant grant) => $"{grant.Option} '{grant.Value}'";
}
