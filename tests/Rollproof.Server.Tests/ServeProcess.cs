using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Rollproof.Server.Tests;

/// <summary>
/// A real <c>rollproof serve</c> process on a free loopback port, as an operator starts it; ready once it has printed
/// <c>listening on http://…</c>. Disposing sends SIGTERM, as systemd does, and waits for it to stop.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;

    private ServeProcess(Process process, Uri url, Task<string> errors)
    {
        _process = process;
        Url = url;
        _errors = errors;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(1) };
    }

    public Uri Url { get; }

    public HttpClient Http { get; }

    /// <summary>The program the tests run: the CLI built beside them.</summary>
    public static string Program => Path.Combine(AppContext.BaseDirectory, "Rollproof.Cli.dll");

    /// <summary>Starts <c>rollproof serve --store STORE --listen 127.0.0.1:0</c> plus <paramref name="extra"/>, and waits until it serves.</summary>
    public static Task<ServeProcess> StartAsync(string store, params string[] extra) => StartInAsync(null, store, extra);

    /// <summary>As <see cref="StartAsync"/>, with <paramref name="stateDir"/> as the server's own state (its records of what it published), when not null.</summary>
    public static async Task<ServeProcess> StartInAsync(string? stateDir, string store, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (stateDir is not null)
            start.Environment["ROLLPROOF_STATE_DIR"] = stateDir;
        foreach (var arg in (string[])[Program, "serve", "--store", store, "--listen", "127.0.0.1:0", .. extra])
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
                return new ServeProcess(process, new Uri(match.Groups[1].Value + "/"), errors);
        }
        await process.WaitForExitAsync(timeout.Token);
        throw new InvalidOperationException($"rollproof serve exited {process.ExitCode} before listening: {await errors}");
    }

    /// <summary>Stops the server with SIGTERM; returns its exit code and what it wrote to stderr.</summary>
    public async Task<(int ExitCode, string Errors)> StopAsync()
    {
        if (!_process.HasExited)
            Rollproof.Common.Posix.Signal(_process.Id, 15); // SIGTERM
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return (_process.ExitCode, await _errors);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^listening on (https?://127\.0\.0\.1:[0-9]+)$")]
    private static partial Regex Listening();
}
