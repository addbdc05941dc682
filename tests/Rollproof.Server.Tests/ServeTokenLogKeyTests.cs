using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Testing;

namespace Rollproof.Server.Tests;

/// <summary><c>rollproof serve --log-key pkcs11:…</c>: the server holds a log whose key is in a real SoftHSM2 token.</summary>
public sealed class ServeTokenLogKeyTests(SoftHsmToken token) : IClassFixture<SoftHsmToken>, IDisposable
{
    private const string Origin = "hsm.example/served";
    private readonly TempDirectory _dir = new();

    private string Store => _dir.Combine("store");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_server_holds_a_log_whose_key_is_in_the_token_and_serves_its_checkpoint()
    {
        var logKey = SoftHsmToken.UriWithPinFile("log", token.PinFile);
        var store = ReleaseStore.Init(Store, Origin, logKey);
        Assert.True(store.IsOk, store.IsOk ? null : store.Problem.Message);

        await using var server = await ServeProcess.StartAsync(Store, "--log-key", logKey);
        var served = await server.Http.GetByteArrayAsync("checkpoint");
        var verifier = NoteKeys.ParseVerifierKey(LogKeyReference.Parse(logKey).Value.Open(Origin).Value.VerifierKey).Value;
        Assert.True(Transparency.Checkpoint.Open(served, verifier).IsOk);
    }

    [Fact]
    public async Task A_wrong_pin_stops_the_server_before_it_listens_without_showing_the_pin()
    {
        Assert.True(ReleaseStore.Init(Store, Origin + "-pin", SoftHsmToken.UriWithPinFile("log", token.PinFile)).IsOk);
        File.WriteAllText(_dir.Combine("wrong-pin"), "98761\n");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServeProcess.StartAsync(Store, "--log-key", SoftHsmToken.UriWithPinFile("log", _dir.Combine("wrong-pin"))));
        Assert.Contains(ErrorCodes.Pkcs11LoginFailed, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("98761", refused.Message, StringComparison.Ordinal);
    }
}
