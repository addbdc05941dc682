using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Cli.Commands.Ledger;

internal static class TrustCommand
{
    public static Command Create(CliContext cli) => new("trust", "Which keys may sign what: write a starting trust file, change the store's trust through the log (each change a signed key-change statement by a key allowed to sign 'key-change'), show what the log establishes")
    {
        TrustInitCommand.Create(cli), Add(cli), Revoke(cli), TrustShowCommand.Create(cli),
    };

    private static Command Add(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var name = TrustOptions.Name("The key's name, as policies and queries refer to it (e.g. carol, ci-2027); a name is added once");
        var publicKey = new Option<string>("--public-key") { Description = "The key's public half (PEM)", Required = true };
        var kinds = TrustOptions.Kinds($"The kinds of statement it may sign, repeatable or comma-separated: {string.Join(", ", KnownKinds.All)}", KnownKinds.All);
        var validFrom = new Option<DateTimeOffset?>("--valid-from") { Description = "Start of its window (default: the start of the current second)" };
        var validUntil = new Option<DateTimeOffset?>("--valid-until") { Description = "End of its window (default: none)" };
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = new Command("add", "Trust a key to sign some kinds of statement within a window. A mistake is corrected by a later change: revoke the key, and add a new key under a new name") { store, name, publicKey, kinds, validFrom, validUntil, json };
        SignedCommand.SetAction(command, cli, store, signer, json, async (parse, opened, admin, asJson, cancellation) =>
        {
            var key = PublicKeyFile.Read(parse.GetValue(publicKey)!);
            if (!key.IsOk)
                return cli.Fail(key.Problem with { Message = $"--public-key: {key.Problem.Message}" }, asJson);
            var from = parse.GetValue(validFrom) ?? LogSeconds.Floor(TimeProvider.System.GetUtcNow());
            if (parse.GetValue(validUntil) is { } until && until <= from)
                return cli.Fail(ErrorCodes.InputMalformed, "--valid-until must come after --valid-from", asJson);
            var trusted = new TrustedKey(parse.GetValue(name)!, key.Value, parse.GetValue(kinds)!.ToHashSet(StringComparer.Ordinal), from, parse.GetValue(validUntil));
            var logged = await TrustChanges.AddAsync(opened, trusted, admin, TimeProvider.System, cancellation);
            if (!logged.IsOk)
                return cli.Fail(logged.Problem, asJson);
            IndexAccess.CatchUpAfterAppend(opened, cli);
            return LoggedOutput.Report(cli, logged.Value, asJson, $"trusted {trusted.Name} ({trusted.Key.KeyId}) for {string.Join(", ", trusted.Kinds.Order(StringComparer.Ordinal))}: key change logged at index {logged.Value.Ref.LogIndex}");
        });
        return command;
    }

    private static Command Revoke(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var name = new Option<string>("--name") { Description = "The key's name in the trust file", Required = true };
        var at = new Option<DateTimeOffset?>("--at") { Description = "From when it is revoked (default: now); what it signed from then on is invalid, and rollbacks to releases it signed are refused" };
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = new Command("revoke", "Revoke a compromised key (to retire a key that is merely old, give its successor a window instead)") { store, name, at, json };
        SignedCommand.SetAction(command, cli, store, signer, json, async (parse, opened, admin, asJson, cancellation) =>
        {
            var logged = await TrustChanges.RevokeAsync(opened, parse.GetValue(name)!, parse.GetValue(at) ?? TimeProvider.System.GetUtcNow(), admin, TimeProvider.System, cancellation);
            if (!logged.IsOk)
                return cli.Fail(logged.Problem, asJson);
            IndexAccess.CatchUpAfterAppend(opened, cli);
            return LoggedOutput.Report(cli, logged.Value, asJson, $"revoked {parse.GetValue(name)}: key change logged at index {logged.Value.Ref.LogIndex}");
        });
        return command;
    }
}
