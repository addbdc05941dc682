using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Rollproof.Common;
using Rollproof.Signing;
using PublicKey = Rollproof.Signing.PublicKey;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// A trusted root's log key as the note verifiers that check what the log signs: its checkpoints (under the key name
/// a signature line gives) and, with any name, its signed entry timestamps. ECDSA keys hash with the log's
/// <c>hashAlgorithm</c>, as Sigstore clients verify them; Ed25519 keys sign the message itself. Importing a key
/// costs more than a verification (.NET checks the point, a scalar multiplication), so each trusted root's log keys
/// are imported once and kept with its <see cref="TransparencyLogInstance"/>, as are the verifiers of a few names.
/// </summary>
internal sealed class TlogLogKey
{
    // The names come from bundles ("set" and the checkpoint's origin): only the first few are kept.
    private const int MaxKeptNames = 8;
    private static readonly ConditionalWeakTable<TransparencyLogInstance, StrongBox<Result<TlogLogKey>>> s_keys = new();
    private readonly Func<string, INoteVerifier?> _create;
    private readonly ConcurrentDictionary<string, INoteVerifier> _byName = new(StringComparer.Ordinal);

    private TlogLogKey(Func<string, INoteVerifier?> create) => _create = create;

    public static Result<TlogLogKey> From(TransparencyLogInstance log) => s_keys.GetValue(log, l => new(Import(l))).Value;

    private static Result<TlogLogKey> Import(TransparencyLogInstance log)
    {
        if (log.KeyDetails == "PKIX_ED25519")
        {
            var key = PublicKey.FromSubjectPublicKeyInfo(log.PublicKeySpki);
            return key.IsOk && key.Value.Algorithm == KeyAlgorithm.Ed25519
                ? Result<TlogLogKey>.Ok(new TlogLogKey(name => new Ed25519NoteVerifier(name, log.PublicKeySpki[^OpenSslEd25519.PublicKeySize..])))
                : Unsupported(log, "its PKIX_ED25519 key is not an Ed25519 SubjectPublicKeyInfo");
        }
        if (!log.KeyDetails.StartsWith("PKIX_ECDSA_", StringComparison.Ordinal))
            return Unsupported(log, $"its key type {log.KeyDetails} is not ECDSA or Ed25519");
        if (!SigstoreHashAlgorithms.TryGet(log.HashAlgorithm, out var hash))
            return Unsupported(log, $"its hash algorithm '{log.HashAlgorithm}' is not one of {SigstoreHashAlgorithms.Names}");
        if (EcdsaNoteVerifier.FromSubjectPublicKeyInfo("probe", log.PublicKeySpki, hash) is null)
            return Unsupported(log, $"its {log.KeyDetails} key is not an ECDSA key on P-256, P-384 or P-521");
        return Result<TlogLogKey>.Ok(new TlogLogKey(name => EcdsaNoteVerifier.FromSubjectPublicKeyInfo(name, log.PublicKeySpki, hash)));
    }

    /// <summary>The verifier of note signature lines named <paramref name="name"/> (key IDs of Ed25519 notes depend on it).</summary>
    public INoteVerifier For(string name)
    {
        if (_byName.TryGetValue(name, out var kept))
            return kept;
        var verifier = _create(name)!;
        if (_byName.Count < MaxKeptNames)
            _byName.TryAdd(name, verifier);
        return verifier;
    }

    /// <summary>Whether the log signed <paramref name="message"/> (a signed entry timestamp's canonical JSON).</summary>
    public bool Signed(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) => For("set").Verify(message, signature);

    private static Problem Unsupported(TransparencyLogInstance log, string why) =>
        new(ErrorCodes.TlogLogKeyUnsupported, $"trusted root tlog {log.BaseUrl}: {why}");
}
