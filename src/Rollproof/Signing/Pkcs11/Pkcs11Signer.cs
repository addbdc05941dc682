namespace Rollproof.Signing.Pkcs11;

/// <summary>Signs statements with a key in a PKCS#11 token (<see cref="Pkcs11PrivateKey"/>): ECDSA P-256 or Ed25519.</summary>
public sealed class Pkcs11Signer(Pkcs11PrivateKey key) : IStatementSigner
{
    public PublicKey PublicKey => key.PublicKey;

    public string KeyId => PublicKey.KeyId;

    public byte[] Sign(ReadOnlySpan<byte> data) => key.Sign(data);
}
