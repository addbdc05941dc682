using System.CommandLine;
using Rollproof.Common;

namespace Rollproof.Cli.Infrastructure;

/// <summary>Options whose value is a duration: anything not a duration in the option's range is a usage error (exit 2) naming the option.</summary>
internal static class DurationOptions
{
    public static Option<string> Create(string name, string description, DurationRange range, string? fallback = null)
    {
        var option = new Option<string>(name) { Description = $"{description} ({range.Rule})" };
        if (fallback is not null)
            option.DefaultValueFactory = _ => fallback;
        option.Validators.Add(r =>
        {
            if (r.Tokens is [var t] && Durations.Parse(t.Value, range) is { IsOk: false } refused)
                r.AddError($"{name} {refused.Problem.Message}");
        });
        return option;
    }
}
