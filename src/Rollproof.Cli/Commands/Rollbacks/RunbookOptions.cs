using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Configuration;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
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
        var text = Text(file);
        if (!text.IsOk)
            return text;
        var yaml = text.Value;
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

    /// <summary>The runbook's text as written: the file, or the default emergency runbook.</summary>
    public static Result<string> Text(string? file)
    {
        if (file is null)
            return Result<string>.Ok(RunbookVariables.Default);
        var read = InputFile.Read(file, RunbookYaml.MaxSize, "runbook");
        return read.IsOk ? Result<string>.Ok(System.Text.Encoding.UTF8.GetString(read.Value)) : read.Problem;
    }

    /// <summary>The values rollproof.yaml gives the request's environment; the request is read for its environment only when
    /// the file has values for any (the run reads and checks it again).</summary>
    public static Result<IReadOnlyDictionary<string, string>> ConfiguredValues(ReleaseStore store, long request, RollproofConfig config)
    {
        if (config.Environments.Count == 0)
            return Result<IReadOnlyDictionary<string, string>>.Ok(config.ValuesFor(""));
        var read = new StatementLedger(store).Read<RollbackRequestPredicate>(request, StatementKinds.RollbackRequest);
        return read.IsOk ? Result<IReadOnlyDictionary<string, string>>.Ok(config.ValuesFor(read.Value.Predicate.Environment)) : read.Problem;
    }
}
