using Rollproof.Common;

namespace Rollproof.Runbooks;

/// <summary>
/// Checks a runbook before it matters: the text well-formed, every step a kind Rollproof knows with durations and
/// counts in range and <c>{{templates}}</c> well-formed (<see cref="RunbookYaml"/>), no secret written inline
/// (<see cref="RunbookSecrets"/>), and every <c>{{name}}</c> one that will have a value when its step runs: a rollback's
/// value, one the step fills itself, or <c>steps.ID.NAME</c> of an earlier step. An unknown name is refused naming
/// the step, field and line and the closest known name, so a typo such as <c>{{target.imag}}</c> is found by
/// <c>runbook check</c>, a dry run or execute, before anything is locked, stored or logged, not when its step's turn comes.
/// </summary>
public static class RunbookCheck
{
    /// <summary>The values every rollback gives its runbook (<see cref="RollbackExecutor"/>), besides <c>target.artifact.NAME</c> for each artifact of the target.</summary>
    public static IReadOnlyList<string> RollbackValues { get; } = ["app", "environment", "request", "current.version", "target.version", "target.release", "target.artifact", "target.image"];

    private const string ArtifactPrefix = "target.artifact.";
    private const string ImagePrefix = "target.image.";
    private const string SettingPrefix = "vars.";

    /// <summary>
    /// A runbook as written, before a rollback's values are known: <c>target.artifact.NAME</c> and <c>target.image.NAME</c> are taken for any NAME,
    /// and <c>{{vars.NAME}}</c> not yet filled from <c>--set</c> is taken as a setting it needs.
    /// </summary>
    public static Result<Runbook> Check(string yaml)
    {
        var runbook = RunbookYaml.Parse(yaml, RollbackExecutor.Engine.Known);
        if (!runbook.IsOk)
            return runbook;
        if (RunbookSecrets.Check(runbook.Value) is { } inline)
            return inline;
        var unknown = FirstUnknown(runbook.Value, n => RollbackValues.Contains(n) || n.StartsWith(ArtifactPrefix, StringComparison.Ordinal) || n.StartsWith(ImagePrefix, StringComparison.Ordinal) || n.StartsWith(SettingPrefix, StringComparison.Ordinal), RollbackValues);
        return unknown is null ? runbook : unknown;
    }

    /// <summary>The first <c>{{name}}</c> of an already checked runbook that this rollback's <paramref name="values"/> leave without a value; null when none.</summary>
    public static Problem? Unfilled(Runbook runbook, IReadOnlyDictionary<string, string> values) => FirstUnknown(runbook, values.ContainsKey, values.Keys);

    /// <summary>The <c>{{vars.NAME}}</c> settings the runbook's text still needs from <c>--set</c>.</summary>
    public static IReadOnlyList<string> Settings(Runbook runbook) =>
        [.. runbook.Steps.SelectMany(s => s.With.Values).SelectMany(Templates.Names).Where(n => n.StartsWith(SettingPrefix, StringComparison.Ordinal)).Select(n => n[SettingPrefix.Length..]).Distinct()];

    /// <summary>
    /// Whether a value is made of <c>{{vars.NAME}}</c> not yet filled (a runbook checked before its <c>--set</c> values
    /// are given): its duration or count is checked once they are, as execute fills them before reading the runbook.
    /// </summary>
    public static bool AwaitsSettings(string value) =>
        Templates.Names(value) is [_, ..] names && names.All(n => n.StartsWith(SettingPrefix, StringComparison.Ordinal));

    /// <summary>An error about one step's parameter, in the form the runbook reader uses: the line, the field's path, the step.</summary>
    public static string At(int line, int index, string step, string field, string message) => $"line {line}: steps[{index}].with.{field}: {message} (step '{step}')";

    private static Problem? FirstUnknown(Runbook runbook, Func<string, bool> given, IEnumerable<string> names)
    {
        var earlier = new List<string>();
        foreach (var (step, index) in runbook.Steps.Select((s, i) => (s, i)))
        {
            var own = RollbackExecutor.Engine.OwnValues(step.Uses);
            foreach (var (field, value) in step.With)
                foreach (var name in Templates.Names(value))
                    if (!given(name) && !own.Contains(name) && !earlier.Any(id => name.StartsWith($"steps.{id}.", StringComparison.Ordinal)))
                    {
                        var known = names.Concat(own).Concat(earlier.Select(id => $"steps.{id}.NAME")).Order(StringComparer.Ordinal).ToList();
                        var hint = Spelling.Closest(name, known) is { } closest ? $"; did you mean {{{{{closest}}}}}?" : "";
                        return new Problem(ErrorCodes.RunbookInvalid, At(step.Lines.GetValueOrDefault(field), index, step.Id, field,
                            $"{{{{{name}}}}} has no value{hint} (this step can use {string.Join(", ", known)})"));
                    }
            earlier.Add(step.Id);
        }
        return null;
    }
}
