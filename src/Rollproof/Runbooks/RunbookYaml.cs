using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Runbooks;

/// <summary>
/// Reads a runbook: <c>name</c>, and <c>steps</c>, a list of <c>{id, uses, with: {…}}</c>. Strict like policies:
/// unknown settings, duplicate ids, unknown step kinds, durations or counts out of range (<see cref="StepParameters"/>)
/// and malformed <c>{{templates}}</c> are errors naming the line.
/// </summary>
public static class RunbookYaml
{
    public const int MaxSize = 1 << 20;

    public static Result<Runbook> Parse(string yaml, IReadOnlySet<string> knownSteps)
    {
        var loaded = YamlFields.Load(yaml, MaxSize, "runbook", ErrorCodes.RunbookInvalid);
        if (!loaded.IsOk)
            return loaded.Problem;
        try
        {
            var root = loaded.Value;
            var name = root.Text("name", required: true)!;
            var steps = new List<RunbookStep>();
            foreach (var item in root.Items("steps", required: true))
            {
                var id = item.Text("id", required: true)!;
                var uses = item.Text("uses", required: true)!;
                if (!Names.IsValid(id))
                    throw new YamlFieldException($"step '{id}': {Names.Rule}");
                if (steps.Any(s => s.Id == id))
                    throw new YamlFieldException($"step id '{id}' is used twice");
                if (!knownSteps.Contains(uses))
                    throw new YamlFieldException($"step '{id}' uses '{uses}', which is not a step Rollproof knows ({string.Join(", ", knownSteps.Order(StringComparer.Ordinal))})");
                var with = item.Strings("with");
                var lines = with.Keys.ToDictionary(p => p, p => item.Section("with")!.LineOf(p), StringComparer.Ordinal);
                foreach (var (parameter, value) in with)
                    if ((Templates.Malformed(value) ?? (RunbookCheck.AwaitsSettings(value) ? null : StepParameters.Check(parameter, value))) is { } why)
                        throw new YamlFieldException(RunbookCheck.At(lines[parameter], steps.Count, id, parameter, why));
                steps.Add(new RunbookStep(id, uses, with) { Lines = lines });
                item.RejectUnknown();
            }
            root.RejectUnknown();
            return Result<Runbook>.Ok(new Runbook(name, steps));
        }
        catch (YamlFieldException e)
        {
            return Fail(e.Message);
        }
    }

    private static Result<Runbook> Fail(string message) => Result<Runbook>.Fail(ErrorCodes.RunbookInvalid, message);
}
