using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks;

/// <summary>
/// <c>rollproof runbook check FILE</c>: the checks a dry run and execute make of a runbook (<see cref="RunbookCheck"/>),
/// without a store or a request, so a runbook is found wrong when it is written, not when a rollback needs it.
/// </summary>
internal static class RunbookCheckCommand
{
    public static Command Create(CliContext cli)
    {
        var file = new Argument<string>("FILE") { Description = "The runbook (YAML: name, steps of {id, uses, with}; see docs/runbooks.md)" };
        var set = RunbookOptions.Set();
        var secret = RunbookOptions.Secret();
        var values = RunbookOptions.Values();
        var env = new Option<string?>("--env") { Description = "Take the values rollproof.yaml gives this environment, as execute would" };
        var json = CommonOptions.Json();
        var command = new Command("check", """
            Check a runbook as a dry run and execute will: step kinds, durations and counts, templates, secrets written
            inline, and that every {{name}} will have a value (a typo such as {{target.imag}} is named with its line and
            the closest known name). Without values, {{vars.NAME}} are listed as the settings it needs; with --set,
            --secret, --values or --env (the environment's values in rollproof.yaml), every one must be given, as
            execute requires.
            Example: rollproof runbook check rollback.yaml --set socket=/run/haproxy/admin.sock
            """)
        {
            file, set, secret, values, env, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var settings = parse.GetValue(set) ?? [];
            var secrets = parse.GetValue(secret) ?? [];
            var valuesFile = parse.GetValue(values);
            var environment = parse.GetValue(env);
            var given = settings.Length + secrets.Length > 0 || valuesFile is not null || environment is not null;
            var yaml = given
                ? RunbookOptions.Read(parse.GetValue(file), settings, secrets, valuesFile, environment is null ? new Dictionary<string, string>() : cli.Defaults.Config(parse).ValuesFor(environment))
                : RunbookOptions.Text(parse.GetValue(file));
            var runbook = yaml.IsOk ? RunbookCheck.Check(yaml.Value) : yaml.Problem;
            if (!runbook.IsOk)
                return cli.Fail(runbook.Problem, asJson);
            var (name, steps) = runbook.Value;
            var needs = RunbookCheck.Settings(runbook.Value);
            if (asJson)
                cli.WriteJson(new { runbook = name, steps = steps.Select(s => new { id = s.Id, uses = s.Uses }), settings = needs });
            else
            {
                cli.Out.WriteLine($"runbook '{name}' is valid: {steps.Count} step{(steps.Count == 1 ? "" : "s")}");
                foreach (var (step, i) in steps.Select((s, i) => (s, i + 1)))
                    cli.Out.WriteLine($"  {i}. {step.Id} ({step.Uses})");
                if (needs.Count > 0)
                    cli.Out.WriteLine($"it needs {string.Join(", ", needs.Select(n => $"--set {n}=…"))}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
