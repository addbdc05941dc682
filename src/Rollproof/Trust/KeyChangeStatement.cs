using System.Text;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Storage;

namespace Rollproof.Trust;

/// <summary>Key changes as in-toto statements: the subject is the key's name with the digest of its PEM.</summary>
public static class KeyChangeStatement
{
    public static InTotoStatement Of(KeyChangePredicate change) => new(
        [new Subject($"key:{change.Name}", new Dictionary<string, string> { ["sha256"] = Sha256Digest.Of(Encoding.UTF8.GetBytes(change.PublicKey)).Hex })],
        RollproofPredicates.PredicateType(KeyChangePredicate.Kind),
        PredicateJson.Write(change));

    /// <summary>Trust on first use, as a key change the key signs itself: it may sign releases from <paramref name="now"/>.</summary>
    public static InTotoStatement FirstUse(PublicKey key, DateTimeOffset now) =>
        Of(new KeyChangePredicate(KeyChangePredicate.Add, $"release-signer-{key.KeyId[..12]}", key.ToPem(), [KnownKinds.Release], Common.LogSeconds.Floor(now), null, null));
}
