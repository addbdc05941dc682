using System.CommandLine;

namespace Rollproof.Cli.Infrastructure;

/// <summary>Options and arguments shared by many commands, so they read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Write machine-readable JSON to stdout instead of text" };

    /// <summary>
    /// <c>--store DIR</c>, the same on every command that takes one: when it is left out, <c>$ROLLPROOF_STORE</c>, else
    /// <c>store:</c> in rollproof.yaml (<see cref="ConfiguredDefaults"/>); a usage error (exit 2) when none names a store.
    /// </summary>
    /// <remarks>
    /// With <paramref name="served"/>, a server named by <c>--server</c> (<see cref="ConfiguredDefaults.ServedStore"/>)
    /// stands in for the store: the value is then its local replica's folder.
    /// </remarks>
    public static Option<string> Store(CliContext cli, string description = "The store", bool served = true) => new("--store")
    {
        Description = $"{description} (default: {(served ? "--server, else " : "")}${ConfiguredDefaults.StoreVariable}, else store: in {ConfiguredDefaults.FileName})",
        DefaultValueFactory = result =>
        {
            if (served && cli.Defaults.ServedStore(result) is { } replica)
            {
                if (replica.IsOk)
                    return replica.Value;
                result.AddError(replica.Problem.Message);
                return null!;
            }
            // A command that works on a local store only must not take --server for a store found elsewhere.
            if (!served && result.GetValue(cli.Defaults.ServerOption) is { } server)
            {
                result.AddError($"this command works on a store on this machine only, not through --server {server}: the server's store is its operator's, who runs it on the server's machine with --store DIR");
                return null!;
            }
            if (cli.Defaults.Store(result) is { } configured)
                return configured;
            result.AddError($"give --store DIR, set {ConfiguredDefaults.StoreVariable}, or name the store in {ConfiguredDefaults.FileName} (store: DIR)");
            return null!;
        },
    };

    /// <summary>A verifier's C2SP tlog-policy file, which makes the checkpoint it relies on need witnesses' cosignatures.</summary>
    public static Option<string?> TlogPolicy() => new("--tlog-policy")
    {
        Description = "A C2SP tlog-policy file (log and witness keys, groups, quorum): the checkpoint relied on must be signed by a log it lists and cosigned by the witnesses its quorum needs, or verification fails (RP1402)",
    };

    public static Option<string?> Keyring() => new("--keyring")
    {
        Description = $"The key directory (default: ${ConfiguredDefaults.KeysVariable}, else keyring: in {ConfiguredDefaults.FileName}, else ~/.config/rollproof/keys)",
    };

    public static Argument<string> LogDirectory() => new("DIR") { Description = "The log directory (created by 'rollproof log init')" };

    public static Option<long> NonNegative(string name, string description, bool required)
    {
        var option = new Option<long>(name) { Description = description, Required = required };
        option.Validators.Add(result =>
        {
            // Tokens that are not numbers already carry a parse error; only a negative number needs one.
            if (result.Tokens is [var token] && long.TryParse(token.Value, out var value) && value < 0)
                result.AddError($"{name} must not be negative");
        });
        return option;
    }
}
