using System.CommandLine;

namespace Rollproof.Cli.Infrastructure;

/// <summary>Options and arguments shared by many commands, so they read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Write machine-readable JSON to stdout instead of text" };

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
