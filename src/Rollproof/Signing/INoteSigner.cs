namespace Rollproof.Signing;

/// <summary>Signs note text (C2SP signed-note) as one named key.</summary>
public interface INoteSigner
{
    string Name { get; }

    uint KeyId { get; }

    /// <summary>The verifier-key string (<c>name+hex(id)+base64(type||key)</c>) that checks this signer's signatures.</summary>
    string VerifierKey { get; }

    /// <summary>The signature bytes that follow the 4-byte key ID in a signature line.</summary>
    byte[] Sign(ReadOnlySpan<byte> noteText);
}

/// <summary>Checks note signatures made by one named key.</summary>
public interface INoteVerifier
{
    string Name { get; }

    uint KeyId { get; }

    NoteSignatureType Type { get; }

    /// <summary>The public key material as its verifier key encodes it (raw Ed25519 key, or ECDSA SPKI DER).</summary>
    byte[] PublicKey { get; }

    /// <summary>True when <paramref name="signature"/> (the bytes after the key ID) is valid over <paramref name="noteText"/>.</summary>
    bool Verify(ReadOnlySpan<byte> noteText, ReadOnlySpan<byte> signature);
}

/// <summary>Signature type bytes assigned by C2SP signed-note.</summary>
public enum NoteSignatureType : byte
{
    Ed25519 = 0x01,
    Ecdsa = 0x02,
    CosignatureV1 = 0x04,
}
