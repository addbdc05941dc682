using System.Diagnostics;
using System.Net.Sockets;
using Rollproof.Common;
using Rollproof.Storage;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// Debian's docker-registry (the CNCF Distribution registry) with a filesystem store in a temporary directory, on a
/// loopback port, for a test class; <paramref name="auth"/> is the config's <c>auth:</c> section, if any.
/// </summary>
public abstract class DockerRegistry : IDisposable
{
    private readonly Process _process;

    protected DockerRegistry(string auth = "")
    {
        Port = LoopbackHttp.FreePort();
        var config = Data.Combine("config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {Storage}
            http:
              addr: 127.0.0.1:{Port}
            {auth}
            """);
        var start = new ProcessStartInfo("docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        _process = ProcessGroups.StartInNewSession(start);
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // Ready when it answers at all: with auth, /v2/ answers 401.
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                http.GetAsync($"http://127.0.0.1:{Port}/v2/").Result.Dispose();
                break;
            }
            catch (AggregateException e) when (e.InnerException is HttpRequestException { InnerException: SocketException } && DateTime.UtcNow < deadline && !_process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
    }

    protected TempDirectory Data { get; } = new();

    public int Port { get; }

    public string Storage => Data.Combine("data");

    public OciRepository Repository(string name) => OciRepository.Parse($"http://127.0.0.1:{Port}/{name}").Value;

    public void Dispose()
    {
        ProcessGroups.Stop(_process, TimeSpan.FromSeconds(5));
        Data.Dispose();
        GC.SuppressFinalize(this);
    }
}
