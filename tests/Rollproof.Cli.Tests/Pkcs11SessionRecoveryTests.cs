using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Rollproof.Signing.Pkcs11;
using Pkcs11Uri = Rollproof.Signing.Pkcs11.Pkcs11Uri;
using Rollproof.Testing;

namespace Rollproof.Cli.Tests;

/// <summary>
/// A key in a real token (SoftHSM2) keeps signing after the token loses every session of this process, as after an
/// HSM restart: the next signature reopens a session, logs in again once, and succeeds.
/// </summary>
[Collection(SoftHsmTests.Name)]
public sealed class Pkcs11SessionRecoveryTests(SoftHsmToken token)
{
    // A second handle on the module, as other code in the process might hold; never disposed, since disposing it would
    // C_Finalize the module under every other test in this process.
    private static readonly Lazy<IPkcs11Library> SecondHandle = new(() =>
    {
        var factories = new Pkcs11InteropFactories();
        return factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, SoftHsmToken.Module, AppType.MultiThreaded);
    });

    [Theory]
    [InlineData("rp")]
    [InlineData("other")]
    public void A_signature_after_every_session_was_closed_logs_in_again_and_succeeds(string label)
    {
        _ = token;
        var key = Pkcs11PrivateKey.Open(Pkcs11Uri.Parse(SoftHsmToken.Uri(label: label)).Value, SoftHsmToken.Module, SoftHsmToken.Pin).Value;
        var first = key.Sign("before"u8);

        CloseAllSessions();
        var second = key.Sign("after"u8);

        Assert.True(key.PublicKey.Verify("before"u8, first));
        Assert.True(key.PublicKey.Verify("after"u8, second));
    }

    // C_CloseAllSessions on the token: the login ends with its last session (PKCS#11 2.40, section 5.6).
    private static void CloseAllSessions()
    {
        var slot = SecondHandle.Value.GetSlotList(SlotsType.WithTokenPresent).Single(s => s.GetTokenInfo().Label.TrimEnd() == "t");
        slot.CloseAllSessions();
        using var probe = slot.OpenSession(SessionType.ReadOnly);
        Assert.Equal(CKS.CKS_RO_PUBLIC_SESSION, probe.GetSessionInfo().State); // logged out: nothing of the old login is left
    }
}
