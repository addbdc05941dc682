using Rollproof.Signing;

namespace Rollproof.Rollbacks.Risk;

/// <summary>The state, as of now, of the key that signed a release: from the trust file's windows and revocations.</summary>
public static class SignerKeyStatus
{
    public static KeyStatus Of(TrustFile trust, string keyId, DateTimeOffset now)
    {
        var entries = trust.Keys.Where(k => k.Key.KeyId == keyId).ToList();
        if (entries.Any(k => k.RevokedAt <= now))
            return KeyStatus.Revoked;
        return entries.Any(k => k.ValidUntil is null || k.ValidUntil > now) ? KeyStatus.Valid : KeyStatus.Rotated;
    }
}
