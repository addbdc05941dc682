using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// The crash tests' child process (tests/Rollproof.LogAppender), appending "RUN-ID/i" entries to a log directory
/// until it is killed or kills itself; what it printed tells which entries were acknowledged and which checkpoints
/// it published.
/// </summary>
public sealed class LogAppenderProcess : IDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StringBuilder _stderr = new();
    private readonly Process _process;
    private readonly string _runId;

    private LogAppenderProcess(string logDir, string runId, IEnumerable<string> options)
    {
        _runId = runId;
        var appender = Path.Combine(AppContext.BaseDirectory, "Rollproof.LogAppender.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["exec", appender, logDir, runId, .. options])
            start.ArgumentList.Add(arg);
        _process = new Process { StartInfo = start };
    }

    /// <summary>A new log directory in <paramref name="dir"/> for the appender to write, and its log key.</summary>
    public static (string LogDir, INoteVerifier Verifier) CreateLog(TempDirectory dir)
    {
        var keyFile = dir.Combine("log.key");
        var signer = NoteKeys.GenerateEd25519("crash.example/log");
        File.WriteAllText(keyFile, signer.SignerKey);
        var logDir = dir.Combine("log");
        Assert.True(LogDirectory.Init(logDir, signer.Name, keyFile).IsOk);
        return (logDir, NoteKeys.ParseVerifierKey(signer.VerifierKey).Value);
    }

    /// <summary>Starts the appender and waits until it holds the writer and appends.</summary>
    public static LogAppenderProcess Start(string logDir, string runId, params string[] options)
    {
        var appender = new LogAppenderProcess(logDir, runId, options);
        using var ready = new ManualResetEventSlim();
        appender._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            appender._lines.Enqueue(e.Data);
            if (e.Data == "ready")
                ready.Set();
        };
        appender._process.ErrorDataReceived += (_, e) =>
        {
            lock (appender._stderr)
                appender._stderr.AppendLine(e.Data);
        };
        appender._process.Start();
        appender._process.BeginOutputReadLine();
        appender._process.BeginErrorReadLine();
        if (!ready.Wait(TimeSpan.FromSeconds(60)) && !appender._process.HasExited)
        {
            appender._process.Kill(entireProcessTree: true);
            Assert.Fail("the appender did not become ready: " + appender.Stderr);
        }
        return appender;
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    /// <summary>Kills the appender (SIGKILL) after <paramref name="after"/>.</summary>
    public void KillAfter(TimeSpan after)
    {
        Thread.Sleep(after);
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Waits for an appender told to kill itself; fails the test if it is still alive after a minute.</summary>
    public void WaitForSelfKill()
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail("the appender did not reach its kill point: " + Stderr);
        }
        _process.WaitForExit();
        Assert.True(_process.ExitCode == 137, $"the appender exited with {_process.ExitCode}, not killed: {Stderr}");
    }

    /// <summary>Each acknowledged entry ("RUN-ID/i") with its index.</summary>
    public List<(string Entry, long Index)> Acks => [.. Lines("ack").Select(parts => ($"{_runId}/{parts[1]}", long.Parse(parts[2], CultureInfo.InvariantCulture)))];

    /// <summary>Each checkpoint published, as signed.</summary>
    public List<byte[]> Checkpoints => [.. Lines("checkpoint").Select(parts => Convert.FromBase64String(parts[1]))];

    public void Dispose() => _process.Dispose();

    private IEnumerable<string[]> Lines(string kind) => _lines.Select(line => line.Split(' ')).Where(parts => parts[0] == kind);
}
