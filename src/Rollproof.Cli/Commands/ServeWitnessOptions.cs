using Rollproof.Common;
using Rollproof.Server.Witnessing;

namespace Rollproof.Cli.Commands;

/// <summary>The witness <c>serve --witness KEY --witness-log VKEY…</c> asks for; each flag without its partner is a usage error.</summary>
internal static class ServeWitnessOptions
{
    public static Result<WitnessOptions?> Witness(string store, string? keyFile, string[] logKeys, string? stateDirectory)
    {
        if (keyFile is null)
        {
            return logKeys.Length > 0 || stateDirectory is not null
                ? Result<WitnessOptions?>.Fail(ErrorCodes.InputMalformed, "--witness-log and --witness-state need --witness KEY_FILE")
                : Result<WitnessOptions?>.Ok(null);
        }
        if (logKeys.Length == 0)
            return Result<WitnessOptions?>.Fail(ErrorCodes.InputMalformed, "--witness needs at least one --witness-log VKEY: the logs it cosigns for");
        return Result<WitnessOptions?>.Ok(new WitnessOptions(keyFile, logKeys, stateDirectory ?? Path.Combine(store, ".rollproof", "witness")));
    }
}
