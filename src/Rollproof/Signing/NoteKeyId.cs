using Rollproof.Common;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Rollproof.Signing;

/// <summary>Key IDs and key names as C2SP signed-note defines them.</summary>
public static class NoteKeyId
{
    /// <summary>SHA-256(name || 0x0A || type || public key)[:4], the recommended key ID (Ed25519, cosignatures).</summary>
    public static uint Compute(string name, NoteSignatureType type, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0A;
        input[nameBytes.Length + 1] = (byte)type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    /// <summary>SHA-256(SPKI DER)[:4], the key ID of ECDSA note keys (type 0x02).</summary>
    public static uint ComputeEcdsa(ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(subjectPublicKeyInfo));

    /// <summary>
    /// The full 32-byte hash whose first four bytes are the key ID in the log's checkpoint signatures: what Sigstore
    /// calls the checkpoint key ID, and uses as the log ID of a log whose checkpoints are signed notes.
    /// </summary>
    public static byte[] CheckpointKeyId(INoteVerifier verifier) => verifier.Type switch
    {
        NoteSignatureType.Ed25519 => SHA256.HashData([.. Encoding.UTF8.GetBytes(verifier.Name), 0x0A, (byte)NoteSignatureType.Ed25519, .. verifier.PublicKey]),
        NoteSignatureType.Ecdsa => SHA256.HashData(verifier.PublicKey),
        _ => throw new ArgumentException($"{Article.For(verifier.Type.ToString())} key does not sign checkpoints", nameof(verifier)),
    };

    /// <summary>Key names are non-empty and contain neither Unicode spaces nor '+'.</summary>
    public static bool IsValidName(string name) =>
        name.Length > 0 && !name.Any(c => c == '+' || char.IsWhiteSpace(c) || char.IsControl(c));

    public static string Format(uint keyId) => keyId.ToString("x8");
}
