using Rollproof.Formats;
using Rollproof.LoadGen;
using Rollproof.Signing;

namespace Rollproof.Server.Tests;

/// <summary>
/// The load generator behind docs/benchmarks.md, run for a moment against a real server: it counts what succeeds and
/// what fails, and the envelopes it submits are what the issue asks for. No figures are asserted (the machine is shared).
/// </summary>
public sealed class LoadGeneratorSmokeTests : IAsyncLifetime, IDisposable
{
    private readonly ServedStore _store = new(entries: 300);
    private readonly List<HttpClient> _clients = [];
    private ServeProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServeProcess.StartAsync(_store.Root);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _clients.ForEach(client => client.Dispose());
        _store.Dispose();
    }

    private HttpClient[] Clients(int count)
    {
        var clients = LoadClient.Create(_server.Url, count);
        _clients.AddRange(clients);
        return clients;
    }

    [Fact]
    public async Task Tile_reads_succeed_and_are_counted()
    {
        var report = await TileLoad.RunAsync(Clients(4), new LoadRun(4, TimeSpan.FromSeconds(1)), TileLoad.DefaultPaths);
        Assert.True(report.Errors == 0, report.FirstError);
        Assert.True(report.Succeeded > 0);
        Assert.True(report.Percentile(0.5) <= report.Percentile(0.99));
        Assert.Contains("4 clients", report.ToString());
    }

    [Fact]
    public async Task Failed_requests_are_counted_as_errors_not_as_throughput()
    {
        var report = await TileLoad.RunAsync(Clients(2), new LoadRun(2, TimeSpan.FromSeconds(0.5)), ["tile/0/999"]);
        Assert.Equal(0, report.Succeeded);
        Assert.True(report.Errors > 0);
        Assert.StartsWith("404", report.FirstError);
    }

    [Fact]
    public void Submitted_envelopes_are_distinct_signed_statements_of_about_a_kibibyte()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var envelopes = SignedEnvelopes.Generate(key, 20, 1024);
        Assert.Equal(20, envelopes.Distinct(new BytesComparer()).Count());
        foreach (var bytes in envelopes)
        {
            Assert.InRange(bytes.Length, 900, 1150);
            var envelope = DsseEnvelope.Parse(bytes).Value;
            Assert.True(envelope.Verify([key.PublicKey]).IsOk);
            Assert.True(InTotoStatement.FromEnvelope(envelope).IsOk);
        }
    }

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
