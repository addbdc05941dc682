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

    /// <summary>
    /// <c>NAME=REFERENCE</c> settings from <c>--secret</c>: each value must be a <see cref="SecretReference"/>, which is
    /// what the runbook then holds; the secret itself is read only by the step that uses it.
    /// </summary>
    public static Result<IReadOnlyDictionary<string, string>> ParseSecrets(IEnumerable<string> settings)
    {
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in settings)
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? "" : setting[..equals];
            if (!Names.IsValid(name))
                return Result<IReadOnlyDictionary<string, string>>.Fail(ErrorCodes.RunbookInvalid, $"a --secret is not NAME=env:VAR or NAME=file:PATH ({Names.Rule})");
            var reference = SecretReference.Parse(setting[(equals + 1)..], $"--secret {name}");
            if (!reference.IsOk)
                return reference.Problem;
            references[name] = reference.Value.Text;
        }
        return Result<IReadOnlyDictionary<string, string>>.Ok(references);
    }

    /// <summary>
    /// The runbook with every <c>{{vars.NAME}}</c> filled from <paramref name="values"/> and <paramref name="secrets"/>
    /// (references, see <see cref="ParseSecrets"/>); names without a value are an error listing them all. A secret may
    /// stand only as the whole value of a field that takes a reference (<see cref="RunbookSecrets.Fields"/>): anywhere
    /// else its reference would be taken for the value.
    /// </summary>
    public static Result<string> Fill(string yaml, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string>? secrets = null)
    {
        secrets ??= new Dictionary<string, string>();
        if (values.Keys.FirstOrDefault(secrets.ContainsKey) is { } both)
            return Result<string>.Fail(ErrorCodes.RunbookInvalid, $"{both} is given both with --set and with --secret");
        foreach (Match use in Variable().Matches(yaml))
            if (secrets.ContainsKey(use.Groups[1].Value) && !InSecretField(yaml, use))
                return Result<string>.Fail(ErrorCodes.SecretInline, $"--secret {use.Groups[1].Value} is used on line {yaml[..use.Index].Count(c => c == '\n') + 1} outside a field that takes a secret reference ({string.Join(", ", RunbookSecrets.Fields)}); a command reads a secret from its environment instead");
        values = values.Concat(secrets).ToDictionary(StringComparer.Ordinal);
        var missing = Variable().Matches(yaml).Select(m => m.Groups[1].Value).Where(n => !values.ContainsKey(n)).Distinct().ToList();
        if (missing.Count > 0)
            return Result<string>.Fail(ErrorCodes.RunbookInvalid, $"the runbook needs {string.Join(", ", missing.Select(n => $"--set {n}=…"))}");
        return Result<string>.Ok(Variable().Replace(yaml, m => values[m.Groups[1].Value].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)));
    }

    // Whether the placeholder is the whole value of a secret field on its line: `password: "{{vars.X}}"` or, in a
    // flow mapping, `{ webhook: '{{vars.X}}', … }`.
    private static bool InSecretField(string yaml, Match use)
    {
        var lineStart = yaml.LastIndexOf('\n', Math.Max(0, use.Index - 1)) + 1;
        var lineEnd = yaml.IndexOf('\n', use.Index) is var end and >= 0 ? end : yaml.Length;
        return SecretFieldBefore.IsMatch(yaml[lineStart..use.Index]) && SecretFieldAfter().IsMatch(yaml[(use.Index + use.Length)..lineEnd]);
    }

    private static readonly Regex SecretFieldBefore = new($@"(?:^|[\s{{,])(?:{string.Join('|', RunbookSecrets.Fields)})\s*:\s*[""']?$", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^[""']?\s*(?:[,}#]|$)")]
    private static partial Regex SecretFieldAfter();

    private static string ReadDefault()
    {
        using var stream = typeof(RunbookVariables).Assembly.GetManifestResourceStream("Rollproof.Runbooks.emergency.yaml")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\{\{\s*vars\.([A-Za-z0-9._+-]+)\s*\}\}")]
    private static partial Regex Variable();
}
