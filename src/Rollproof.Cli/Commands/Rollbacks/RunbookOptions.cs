using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks;

/// <summary>
/// Choosing a runbook: a file (or the default emergency runbook) with its <c>{{vars.NAME}}</c> filled from <c>--set</c>,
/// <c>--values FILE</c> and the environment's values in rollproof.yaml, in that order, and secrets' references from <c>--secret</c>.
/// </summary>
internal static class RunbookOptions
{
    public static Option<string[]> Set() => new("--set")
    {
        Description = "NAME=VALUE for {{vars.NAME}} in the runbook (repeat it); filled in before the runbook is stored",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string[]> Secret() => new("--secret")
    {
        Description = "NAME=env:VAR or NAME=file:PATH for a secret {{vars.NAME}} (a webhook, a password; repeat it): the runbook keeps the reference, the step reads the secret when it runs",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string?> Values() => new("--values")
    {
        Description = "A YAML or JSON map of NAME: VALUE for {{vars.NAME}}; --set wins over it, and it over the environment's values in rollproof.yaml",
    };

    /// <param name="configured">The environment's values in rollproof.yaml: used where neither --set nor --values gives one.</param>
    public static Result<string> Read(string? file, string[]? settings, string[]? secrets, string? valuesFile, IReadOnlyDictionary<string, string> configured)
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
        if (!values.IsOk)
            return values.Problem;
        var references = RunbookVariables.ParseSecrets(secrets ?? []);
        if (!references.IsOk)
            return references.Problem;
        var fromFile = valuesFile is null ? Result<IReadOnlyDictionary<string, string>>.Ok(new Dictionary<string, string>()) : RunbookValues.Read(valuesFile);
        if (!fromFile.IsOk)
            return fromFile.Problem;
        return RunbookVariables.Fill(yaml, RunbookValues.Merge(values.Value, fromFile.Value, configured, references.Value), references.Value);
    }
}
