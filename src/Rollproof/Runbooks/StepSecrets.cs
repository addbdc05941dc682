using Rollproof.Common;

namespace Rollproof.Runbooks;

/// <summary>
/// The values of the secrets a step is given (its parameters that are <c>env:</c> or <c>file:</c> references), to
/// blank them out of everything shown or kept of the step: the output lines a person watches, its message and its
/// evidence in the journal. A program may echo what it was given (a client that prints its connection settings on an
/// error), and the journal must not keep it. A secret of several lines is blanked line by line too, since output is
/// watched a line at a time. A reference that cannot be read gives nothing to blank: the step itself fails on it.
/// </summary>
internal sealed class StepSecrets
{
    public const string Mask = "***";

    private readonly string[] _values;

    private StepSecrets(IEnumerable<string> values) =>
        _values = [.. values.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length)];

    public static StepSecrets Of(IReadOnlyDictionary<string, string> parameters) => new(parameters.Values
        .Where(SecretReference.Looks)
        .Select(v => SecretReference.Parse(v, "secret"))
        .Where(r => r.IsOk)
        .Select(r => r.Value.Resolve())
        .Where(v => v.IsOk)
        .SelectMany(v => (string[])[v.Value, .. v.Value.Split('\n').Select(l => l.TrimEnd('\r'))]));

    public string Redact(string text)
    {
        foreach (var value in _values)
            text = text.Replace(value, Mask, StringComparison.Ordinal);
        return text;
    }

    public StepOutcome Redact(StepOutcome outcome) => outcome with
    {
        Message = Redact(outcome.Message),
        Evidence = outcome.Evidence.ToDictionary(e => e.Key, e => Redact(e.Value), StringComparer.Ordinal),
    };
}
