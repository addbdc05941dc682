using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Runbooks;

/// <summary>
/// Runbook values given as a map rather than one <c>--set</c> at a time: a <c>--values</c> file (YAML, or JSON, which
/// YAML reads too) or an environment's <c>values</c> in rollproof.yaml. Names follow <c>--set</c>'s rule; a value with
/// a credential written inline is refused (RP2620) as in a runbook, naming the line but never the value, since the
/// runbook it fills is stored and logged.
/// </summary>
public static class RunbookValues
{
    public const int MaxSize = 1024 * 1024;

    public static Result<IReadOnlyDictionary<string, string>> Read(string path)
    {
        var read = InputFile.Read(path, MaxSize, "values file");
        if (!read.IsOk)
            return read.Problem;
        var loaded = YamlFields.Load(System.Text.Encoding.UTF8.GetString(read.Value), MaxSize, "values file", ErrorCodes.RunbookInvalid);
        try
        {
            return loaded.IsOk ? Result<IReadOnlyDictionary<string, string>>.Ok(loaded.Value.AllStrings(Check(ErrorCodes.RunbookInvalid))) : loaded.Problem with { Message = $"{path}: {loaded.Problem.Message}" };
        }
        catch (YamlFieldException e)
        {
            return Result<IReadOnlyDictionary<string, string>>.Fail(e.Code ?? ErrorCodes.RunbookInvalid, $"{path}: {e.Message}");
        }
    }

    /// <summary>What is wrong with one value, if anything: a name <c>--set</c> would refuse (<paramref name="errorCode"/>), or a credential written inline.</summary>
    internal static Func<string, string, Problem?> Check(string errorCode) => (name, value) =>
        !Names.IsValid(name) ? new Problem(errorCode, $"is not a value name ({Names.Rule})")
        : RunbookSecrets.InlineCredential(value) is { } inline ? new Problem(ErrorCodes.SecretInline, $"a credential is written inline ({inline}); the runbook would keep it: give it with --secret {name}=env:VAR instead (docs/runbooks.md, \"Secrets\")")
        : null;

    /// <summary>
    /// The values a runbook is filled with: <paramref name="set"/> (<c>--set</c>) over <paramref name="file"/>
    /// (<c>--values</c>) over <paramref name="configured"/> (rollproof.yaml); a name given as a secret is left to it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string> set, IReadOnlyDictionary<string, string> file, IReadOnlyDictionary<string, string> configured, IReadOnlyDictionary<string, string> secrets)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in (IReadOnlyDictionary<string, string>[])[configured, file])
            foreach (var (name, value) in layer.Where(v => !secrets.ContainsKey(v.Key)))
                merged[name] = value;
        foreach (var (name, value) in set)
            merged[name] = value;
        return merged;
    }
}
