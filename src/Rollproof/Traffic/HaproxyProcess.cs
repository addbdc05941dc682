using System.Diagnostics;
using System.Text;
using Rollproof.Common;

namespace Rollproof.Traffic;

/// <summary>
/// A haproxy run in the foreground (<c>-db</c>) with a configuration file, in a session and process group of its own,
/// ready once the admin socket its configuration declares exists. Its output is kept for the message when it does not
/// start. Disposing stops its whole group: SIGTERM, then SIGKILL after a grace.
/// </summary>
public sealed class HaproxyProcess : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);
    private readonly Process _process;

    private HaproxyProcess(Process process, string socket)
    {
        _process = process;
        Socket = socket;
    }

    public string Socket { get; }

    /// <summary>Starts haproxy with <paramref name="config"/> and waits up to 20 s for <paramref name="socket"/>.</summary>
    public static Result<HaproxyProcess> Start(string config, string socket)
    {
        var start = new ProcessStartInfo("haproxy") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-f", config, "-db"])
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = ProcessGroups.StartInNewSession(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return Result<HaproxyProcess>.Fail(ErrorCodes.TrafficFailed, "haproxy is not installed (Debian: haproxy; scripts/demo.sh and scripts/test.sh install it)");
        }
        var output = new StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
                if (output.Length < 4096) // what a failed start says; a long-running haproxy's chatter is not kept
                    output.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(socket) && !process.HasExited && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        if (File.Exists(socket))
            return Result<HaproxyProcess>.Ok(new HaproxyProcess(process, socket));
        ProcessGroups.Stop(process, Grace);
        string said;
        lock (output)
            said = output.ToString().Trim();
        return Result<HaproxyProcess>.Fail(ErrorCodes.TrafficFailed, $"haproxy did not start with {config} (check it with: haproxy -c -f {config}){(said.Length > 0 ? ": " + said : "")}");
    }

    public void Dispose()
    {
        ProcessGroups.Stop(_process, Grace);
        File.Delete(Socket);
    }
}
