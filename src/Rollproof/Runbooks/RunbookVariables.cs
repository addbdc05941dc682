using System.Text.RegularExpressions;
using Rollproof.Common;

namespace Rollproof.Runbooks;

/// <summary>
/// The settings of an environment a runbook refers to as <c>{{vars.NAME}}</c> (sockets, slots, ports, files), given as
/// <c>NAME=VALUE</c> when an execution starts and filled into the runbook's text before it is stored, so the stored
/// runbook says exactly what ran and a resume needs none of them. Values are escaped for YAML double-quoted strings,
/// where the default runbook places them. <see cref="Default"/> is Rollproof's emergency runbook.
/// </summary>
public static partial class RunbookVariables
{
    public static string Default { get; } = ReadDefault();

    public static Result<IReadOnlyDictionary<string, string>> Parse(IEnumerable<string> settings)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in settings)
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? setting : setting[..equals];
            if (equals < 0 || !Names.IsValid(name))
                return Result<IReadOnlyDictionary<string, string>>.Fail(ErrorCodes.RunbookInvalid, $"--set '{setting}' is not NAME=VALUE ({Names.Rule})");
            values[name] = setting[(equals + 1)..];
        }
        return Result<IReadOnlyDictionary<string, string>>.Ok(values);
    }

    /// <summary>The runbook with every <c>{{vars.NAME}}</c> filled; names without a value are an error listing them all.</summary>
    public static Result<string> Fill(string yaml, IReadOnlyDictionary<string, string> values)
    {
        var missing = Variable().Matches(yaml).Select(m => m.Groups[1].Value).Where(n => !values.ContainsKey(n)).Distinct().ToList();
        if (missing.Count > 0)
            return Result<string>.Fail(ErrorCodes.RunbookInvalid, $"the runbook needs {string.Join(", ", missing.Select(n => $"--set {n}=…"))}");
        return Result<string>.Ok(Variable().Replace(yaml, m => values[m.Groups[1].Value].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)));
    }

    private static string ReadDefault()
    {
        using var stream = typeof(RunbookVariables).Assembly.GetManifestResourceStream("Rollproof.Runbooks.emergency.yaml")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\{\{\s*vars\.([A-Za-z0-9._+-]+)\s*\}\}")]
    private static partial Regex Variable();
}
