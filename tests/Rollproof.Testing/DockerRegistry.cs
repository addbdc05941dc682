using System.Diagnostics;
using System.Net.Sockets;
using Rollproof.Common;
using Rollproof.Storage;

namespace Rollproof.Testing;

/// <summary>
/// Debian's docker-registry (the CNCF Distribution registry) with a filesystem store in a temporary directory, on a
/// loopback port, for a test class. A subclass writes what its <c>auth:</c> section needs into <see cref="Data"/>
/// (removed with it) and then calls <see cref="Start"/>.
/// </summary>
public abstract class DockerRegistry : IDisposable
{
    private Process? _process;

    protected void Start(string auth = "")
    {
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

    public int Port { get; } = LoopbackHttp.FreePort();

    public string Storage => Data.Combine("data");

    public OciRepository Repository(string name) => OciRepository.Parse($"http://127.0.0.1:{Port}/{name}").Value;

    public void Dispose()
    {
        if (_process is not null)
            ProcessGroups.Stop(_process, TimeSpan.FromSeconds(5));
        Data.Dispose();
        GC.SuppressFinalize(this);
    }
}
