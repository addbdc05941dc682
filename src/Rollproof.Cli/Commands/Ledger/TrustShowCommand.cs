using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Releases;

namespace Rollproof.Cli.Commands.Ledger;

/// <summary>The trust a store's log establishes, worked out from the log rather than read from trust.json, and the key changes it set aside.</summary>
internal static class TrustShowCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var json = CommonOptions.Json();
        var command = new Command("show", "The keys the store's log trusts (name, key ID, kinds, window, revocation, the log index that added each) and the key changes it set aside, with why") { store, json };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            var derived = opened.IsOk ? opened.Value.DeriveTrust() : opened.Problem;
            if (!derived.IsOk)
                return cli.Fail(derived.Problem, asJson);
            var keys = derived.Value.Trust.Keys.Select(TrustedKeyView.Of).ToList();
            var setAside = derived.Value.SetAside;
            if (asJson)
            {
                cli.WriteJson(new { keys, setAside });
                return ExitCodes.Ok;
            }
            foreach (var key in keys)
                cli.Out.WriteLine(key.Line());
            if (setAside.Count > 0)
                cli.Out.WriteLine($"set aside ({setAside.Count}):\n  {string.Join("\n  ", setAside)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
