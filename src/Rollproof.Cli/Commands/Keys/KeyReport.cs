using Rollproof.Cli.Infrastructure;
using Rollproof.Signing;

namespace Rollproof.Cli.Commands.Keys;

/// <summary>What generate and import print about the key they stored.</summary>
internal static class KeyReport
{
    public static int Write(CliContext cli, bool json, string name, PublicKey key, Keyring ring, bool encrypted)
    {
        var algorithm = Algorithm(key);
        if (json)
            cli.WriteJson(new { name, algorithm, keyId = key.KeyId, privateKeyFile = ring.PrivatePath(name), publicKeyFile = ring.PublicPath(name), encrypted });
        else
            cli.Out.WriteLine($"{name}: {algorithm} key {key.KeyId}\n  private: {ring.PrivatePath(name)}{(encrypted ? " (encrypted)" : " (NOT encrypted)")}\n  public:  {ring.PublicPath(name)}");
        return ExitCodes.Ok;
    }

    public static string Algorithm(PublicKey key) => key.Algorithm == KeyAlgorithm.Ed25519 ? "ed25519" : "ecdsa-p256";
}
