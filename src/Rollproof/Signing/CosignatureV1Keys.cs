using System.Buffers.Binary;
using System.Text;

namespace Rollproof.Signing;

/// <summary>
/// C2SP tlog-cosignature v1 (type 0x04): a witness's timestamped Ed25519 signature over
/// <c>"cosignature/v1\ntime T\n" || checkpoint text</c>; the signature bytes are <c>u64 T || Ed25519 signature</c>.
/// </summary>
public static class CosignatureV1
{
    public const int SignatureSize = 8 + OpenSslEd25519.SignatureSize;

    public static byte[] SignedMessage(ReadOnlySpan<byte> checkpointText, ulong timestamp)
    {
        var header = Encoding.ASCII.GetBytes($"cosignature/v1\ntime {timestamp}\n");
        var message = new byte[header.Length + checkpointText.Length];
        header.CopyTo(message, 0);
        checkpointText.CopyTo(message.AsSpan(header.Length));
        return message;
    }

    /// <summary>The POSIX timestamp a cosignature commits to, or null when the signature has the wrong size.</summary>
    public static ulong? Timestamp(ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureSize ? BinaryPrimitives.ReadUInt64BigEndian(signature) : null;
}

public sealed class CosignatureV1Verifier(string name, byte[] publicKey) : INoteVerifier
{
    public string Name { get; } = name;

    public byte[] PublicKey { get; } = publicKey;

    public uint KeyId { get; } = NoteKeyId.Compute(name, NoteSignatureType.CosignatureV1, publicKey);

    public NoteSignatureType Type => NoteSignatureType.CosignatureV1;

    public bool Verify(ReadOnlySpan<byte> noteText, ReadOnlySpan<byte> signature)
    {
        var timestamp = CosignatureV1.Timestamp(signature);
        if (timestamp is null || timestamp.Value > long.MaxValue)
            return false;
        return OpenSslEd25519.Verify(PublicKey, CosignatureV1.SignedMessage(noteText, timestamp.Value), signature[8..]);
    }
}

/// <summary>A witness's cosigner: signs checkpoints it has checked for consistency, stamped with the time of signing.</summary>
public sealed class CosignatureV1Signer : INoteSigner
{
    private readonly byte[] _seed;
    private readonly byte[] _publicKey;
    private readonly TimeProvider _clock;

    public CosignatureV1Signer(string name, ReadOnlySpan<byte> seed, TimeProvider clock)
    {
        Name = name;
        _seed = seed.ToArray();
        _clock = clock;
        _publicKey = OpenSslEd25519.PublicKeyFromSeed(_seed);
        KeyId = NoteKeyId.Compute(name, NoteSignatureType.CosignatureV1, _publicKey);
    }

    public string Name { get; }

    public uint KeyId { get; }

    public string VerifierKey => NoteKeys.FormatVerifierKey(Name, KeyId, NoteSignatureType.CosignatureV1, _publicKey);

    /// <summary>The signer-key string <c>PRIVATE+KEY+name+hex(id)+base64(0x04||seed)</c>: a secret, never log it.</summary>
    public string SignerKey => "PRIVATE+KEY+" + NoteKeys.FormatVerifierKey(Name, KeyId, NoteSignatureType.CosignatureV1, _seed);

    public byte[] Sign(ReadOnlySpan<byte> noteText)
    {
        var timestamp = (ulong)_clock.GetUtcNow().ToUnixTimeSeconds();
        var signature = new byte[CosignatureV1.SignatureSize];
        BinaryPrimitives.WriteUInt64BigEndian(signature, timestamp);
        OpenSslEd25519.Sign(_seed, CosignatureV1.SignedMessage(noteText, timestamp)).CopyTo(signature, 8);
        return signature;
    }
}
