using Rollproof.Common;
namespace Rollproof.Signing;

/// <summary>
/// A log's checkpoint key as a trust-file key and back: trust files hold PEM public keys, while checkpoints are
/// verified as C2SP note keys, whose key ID also binds the log's origin.
/// </summary>
public static class LogPublicKeys
{
    /// <summary>The trust-file kind of a log's checkpoint key.</summary>
    public const string Kind = "checkpoint";

    public static PublicKey ToPublicKey(INoteVerifier logKey) => logKey.Type switch
    {
        NoteSignatureType.Ed25519 => PublicKey.FromEd25519(logKey.PublicKey),
        NoteSignatureType.Ecdsa => PublicKey.FromSubjectPublicKeyInfo(logKey.PublicKey).Value,
        _ => throw new ArgumentException($"{Article.For(logKey.Type.ToString())} key does not sign checkpoints", nameof(logKey)),
    };

    /// <summary>The note verifier for checkpoints of <paramref name="origin"/> signed by <paramref name="key"/>.</summary>
    public static INoteVerifier ToNoteVerifier(PublicKey key, string origin)
    {
        if (key.Algorithm == KeyAlgorithm.EcdsaP256)
            return EcdsaNoteVerifier.FromSubjectPublicKeyInfo(origin, key.SubjectPublicKeyInfo)!;
        var raw = key.SubjectPublicKeyInfo[^32..];
        return NoteKeys.ParseVerifierKey(NoteKeys.FormatVerifierKey(origin, NoteKeyId.Compute(origin, NoteSignatureType.Ed25519, raw), NoteSignatureType.Ed25519, raw)).Value;
    }
}
