using System.Net;
using System.Net.Sockets;
using Rollproof.Cli;
using Rollproof.Cli.Infrastructure;

namespace Rollproof.Server.Tests;

/// <summary>Starting and stopping: bad addresses are refused before anything happens, and a stopped server lets go of its store.</summary>
public sealed class ServeLifecycleTests
{
    [Theory]
    [InlineData("8080")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("example.com:80")]
    public void A_malformed_listen_address_is_a_usage_error(string listen)
    {
        using var store = new ServedStore();
        var error = new StringWriter();
        var code = CliApp.Run(["serve", "--store", store.Root, "--listen", listen], new CliContext(new StringWriter(), error, interactive: false));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"--listen '{listen}'", error.ToString());
    }

    [Fact]
    public async Task A_port_in_use_is_refused_and_the_store_is_left_free()
    {
        using var store = new ServedStore();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var error = new StringWriter();
        var code = CliApp.Run(["serve", "--store", store.Root, "--listen", $"127.0.0.1:{port}"], new CliContext(new StringWriter(), error, interactive: false));
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("RP2701", error.ToString());
        var writer = store.Store.Log.OpenWriter();
        Assert.True(writer.IsOk, writer.IsOk ? null : writer.Problem.Message);
        await writer.Value.DisposeAsync();
    }

    [Fact]
    public async Task Sigterm_stops_it_cleanly_and_frees_the_store()
    {
        using var store = new ServedStore();
        var server = await ServeProcess.StartAsync(store.Root);
        var (code, errors) = await server.StopAsync();
        await server.DisposeAsync();
        Assert.Equal(0, code);
        Assert.Contains("stopped", errors);
        var writer = store.Store.Log.OpenWriter();
        Assert.True(writer.IsOk, writer.IsOk ? null : writer.Problem.Message);
        await writer.Value.DisposeAsync();
    }

    [Fact]
    public async Task A_store_that_another_process_appends_to_is_not_served()
    {
        using var store = new ServedStore();
        await using var writer = store.Store.Log.OpenWriter().Value;
        var error = new StringWriter();
        var code = CliApp.Run(["serve", "--store", store.Root, "--listen", "127.0.0.1:0"], new CliContext(new StringWriter(), error, interactive: false));
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("RP1309", error.ToString());
    }
}
