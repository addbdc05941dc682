using System.Text.Json;
using System.Text.Json.Serialization;
using Rollproof.Common;
using Spectre.Console;

namespace Rollproof.Cli.Infrastructure;

/// <summary>Where a command writes: plain text or JSON for scripts on stdout, errors on stderr, progress only for people.</summary>
public sealed class CliContext(TextWriter output, TextWriter error, bool interactive, Func<string, string?>? environment = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // Keys and hashes are base64: keep '+' readable. Output is for terminals and scripts, never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>True when stdout is a terminal: progress bars and colour are for people, never for pipes.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>Values not given on the command line: environment variables (<paramref name="environment"/>, the process's by default) and rollproof.yaml.</summary>
    internal ConfiguredDefaults Defaults { get; } = new(environment ?? Environment.GetEnvironmentVariable);

    public static CliContext ForConsole() => new(Console.Out, Console.Error, !Console.IsOutputRedirected && !Console.IsErrorRedirected);

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>Reports an expected failure on stderr (as JSON on stdout too when asked) and returns its exit code.</summary>
    public int Fail(Problem problem, bool json = false)
    {
        if (json)
            WriteJson(new { error = new { code = problem.Code, message = problem.Message } });
        Error.WriteLine($"error {problem.Code}: {problem.Message}");
        return ExitCodes.For(problem);
    }

    public int Fail(string code, string message, bool json = false) => Fail(new Problem(code, message), json);

    /// <summary>Reports a mistake on the command line that only the whole of it shows (a name given twice), as a parse error is reported (<see cref="UsageErrors"/>): exit 2.</summary>
    public int Usage(string message, bool json)
    {
        if (json)
            WriteJson(new { error = new { code = ErrorCodes.CommandLineInvalid, message } });
        Error.WriteLine($"error: {message}");
        return ExitCodes.Usage;
    }

    /// <summary>Runs <paramref name="work"/> behind a progress bar on a terminal, or silently otherwise.</summary>
    public T WithProgress<T>(string description, long total, Func<IProgress<long>?, T> work)
    {
        if (!Interactive || total == 0)
            return work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Error) });
        return console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(description, maxValue: total);
                return work(new Callback(done => task.Value = done));
            });
    }

    // Progress<T> posts to the thread pool; a bar must see the value before the work moves on.
    private sealed class Callback(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
