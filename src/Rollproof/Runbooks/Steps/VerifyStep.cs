using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Rollproof.Common;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: verify</c>: a check of the restored release. An HTTP check: GET <c>url</c> must answer <c>status</c>
/// (default 200), its body must match <c>body</c> (a regular expression, optional) and arrive within <c>latency</c>
/// (optional). A command check (<c>run</c>, the app's own verification suite for instance): the command must exit 0
/// within <c>timeout</c> (default 1m); its output is the evidence. Either tries up to <c>attempts</c> times (default
/// 5), a second apart, since a service just deployed may need a moment.
/// </summary>
public sealed class VerifyStep : IRunbookStep
{
    private const int MaxBody = 1 << 20;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Uses => "verify";

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) => parameters.TryGetValue("run", out var run)
        ? $"sh -c '{Templates.Apply(run, context.Values)}' must exit 0"
        : $"GET {Templates.Apply(parameters.GetValueOrDefault("url", ""), context.Values)} expecting {parameters.GetValueOrDefault("status", "200")}"
        + (parameters.TryGetValue("body", out var body) ? $" and a body matching /{body}/" : "") + (parameters.TryGetValue("latency", out var latency) ? $" within {latency}" : "");

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        if (StepParameters.Attempts(parameters.GetValueOrDefault("attempts", "5")) is not { } attempts)
            return StepOutcome.Failed($"attempts '{parameters["attempts"]}' is not a whole number from 1 to {StepParameters.MaxAttempts}");
        return parameters.TryGetValue("run", out var run)
            ? await CommandCheckAsync(Templates.Apply(run, context.Values), parameters, context, attempts, cancellation)
            : await HttpCheckAsync(parameters, context, attempts, cancellation);
    }

    private static async Task<StepOutcome> CommandCheckAsync(string command, IReadOnlyDictionary<string, string> parameters, StepContext context, int attempts, CancellationToken cancellation)
    {
        if (Templates.Unknown(command, context.Values) is [_, ..] unknown)
            return StepOutcome.Failed($"'run' uses values no rollback has: {string.Join(", ", unknown)}");
        var timeout = StepParameters.Duration(parameters, "timeout", TimeSpan.FromMinutes(1));
        if (!timeout.IsOk)
            return StepOutcome.Failed(timeout.Problem.Message);
        StepOutcome? failed = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            var ran = await ShellCommand.RunAsync(command, context.WorkDirectory, timeout.Value, cancellation);
            var evidence = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["command"] = command, ["exitCode"] = ran.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "timeout", ["stdout"] = ran.Output, ["stderr"] = ran.Error,
                ["attempt"] = attempt.ToString(CultureInfo.InvariantCulture),
            };
            if (ran.ExitCode == 0)
                return StepOutcome.Done($"'{command}' passed: {ran.Output.Trim()}", evidence);
            var why = ran.ExitCode is null ? $"'{command}' did not finish within {timeout.Value}" : $"'{command}' exited with {ran.ExitCode}: {(ran.Output + ran.Error).Trim()}";
            failed = StepOutcome.Failed($"{why} (after {attempt} attempt(s))", evidence);
        }
        return failed!;
    }

    private static async Task<StepOutcome> HttpCheckAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, int attempts, CancellationToken cancellation)
    {
        if (!parameters.TryGetValue("url", out var template) || !Uri.TryCreate(Templates.Apply(template, context.Values), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return StepOutcome.Failed("a verify step needs an http(s) 'url' or a command to 'run'");
        if (!int.TryParse(parameters.GetValueOrDefault("status", "200"), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            return StepOutcome.Failed($"status '{parameters["status"]}' is not an HTTP status code");
        Regex? pattern = null;
        try
        {
            pattern = parameters.TryGetValue("body", out var body) ? new Regex(body, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : null;
        }
        catch (ArgumentException e)
        {
            return StepOutcome.Failed($"body '{parameters["body"]}' is not a regular expression: {e.Message}");
        }
        // No latency given: no limit.
        var latency = StepParameters.Duration(parameters, "latency", TimeSpan.MaxValue);
        if (!latency.IsOk)
            return StepOutcome.Failed(latency.Problem.Message);
        var failure = "";
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            var timer = Stopwatch.StartNew();
            try
            {
                using var response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation);
                var text = await ReadAsync(response, cancellation);
                timer.Stop();
                var evidence = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["url"] = url.ToString(), ["status"] = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
                    ["latencyMs"] = timer.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture), ["attempt"] = attempt.ToString(CultureInfo.InvariantCulture),
                };
                failure = (int)response.StatusCode != status ? $"{url} answered {(int)response.StatusCode}, not {status}"
                    : pattern is not null && !Matches(pattern, text) ? $"{url} answered a body not matching /{pattern}/"
                    : timer.Elapsed > latency.Value ? $"{url} took {timer.ElapsedMilliseconds} ms, more than {latency.Value.TotalMilliseconds} ms"
                    : "";
                if (failure.Length == 0)
                    return StepOutcome.Done($"{url} answered {status} in {timer.ElapsedMilliseconds} ms", evidence);
            }
            catch (HttpRequestException e)
            {
                failure = $"{url} could not be reached: {e.Message}";
            }
            catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
            {
                failure = $"{url} did not answer in time";
            }
        }
        return StepOutcome.Failed($"{failure} (after {attempts} attempt(s))");
    }

    private static bool Matches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellation);
        var buffer = new byte[MaxBody];
        var read = await stream.ReadAtLeastAsync(buffer, MaxBody, throwOnEndOfStream: false, cancellation);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }
}
