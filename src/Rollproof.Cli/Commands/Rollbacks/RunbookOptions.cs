using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks;

/// <summary>Choosing a runbook: a file (or the default emergency runbook) with its <c>{{vars.NAME}}</c> filled from <c>--set</c>.</summary>
internal static class RunbookOptions
{
    public static Option<string[]> Set() => new("--set")
    {
        Description = "NAME=VALUE for {{vars.NAME}} in the runbook (repeat it); filled in before the runbook is stored",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Result<string> Read(string? file, string[]? settings)
    {
        var yaml = RunbookVariables.Default;
        if (file is not null)
        {
            var read = InputFile.Read(file, RunbookYaml.MaxSize, "runbook");
            if (!read.IsOk)
                return read.Problem;
            yaml = System.Text.Encoding.UTF8.GetString(read.Value);
        }
        var values = RunbookVariables.Parse(settings ?? []);
        return values.IsOk ? RunbookVariables.Fill(yaml, values.Value) : values.Problem;
    }
}
