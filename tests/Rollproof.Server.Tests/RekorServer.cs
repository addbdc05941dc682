namespace Rollproof.Server.Tests;

/// <summary>One <c>rollproof serve</c> on a fresh store, shared by a test class that logs Rekor entries to it.</summary>
public sealed class RekorServer : IAsyncLifetime
{
    public ServedStore Store { get; } = new();

    public ServeProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServeProcess.StartAsync(Store.Root);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Store.Dispose();
    }
}
