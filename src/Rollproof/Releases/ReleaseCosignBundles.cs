using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Sigstore.Verification;
using Rollproof.Storage;

namespace Rollproof.Releases;

/// <summary>
/// A cosign bundle a release carries for one of its artifacts (from <c>cosign sign-blob --bundle</c> in CI), bound in
/// the signed statement by digest together with whom it must be signed by (an identity and OIDC issuer, or a key by
/// digest) and the trusted root it verifies against (by digest; null for Sigstore's built-in public-good root), so
/// that none of them can be swapped after publish.
/// </summary>
public sealed record CosignBundleBinding(string Artifact, string Bundle, string? Identity, string? OidcIssuer, string? PublicKey, string? TrustedRoot);

/// <summary>What a publisher hands in: each bundle by the name of the artifact it signs, the signer CI is expected to be, and a trusted root (null: the built-in public-good one).</summary>
public sealed record CosignBundleDraft(IReadOnlyList<KeyValuePair<string, byte[]>> Bundles, ExpectedSigner Signer, byte[]? TrustedRoot);

/// <summary>
/// Verifies a release's cosign bundles offline, each against its artifact's digest in the statement: at publish
/// before anything is bound, and again by every <c>release verify</c> and rollback pre-flight. A bundle that fails
/// keeps the verifier's own code, its message naming the artifact.
/// </summary>
public static class ReleaseCosignBundles
{
    public const int MaxBundles = 256;

    // A SubjectPublicKeyInfo of any key a bundle may be signed with is well under this (RSA-4096: about 550 bytes).
    private const int MaxPublicKeySize = 16 * 1024;

    /// <summary>Verifies the draft's bundles against the release's subjects, then stores them (and the key and trusted root) by digest and returns their bindings.</summary>
    public static async Task<Result<IReadOnlyList<CosignBundleBinding>?>> StoreAsync(CosignBundleDraft? draft, IReadOnlyList<Subject> subjects, IArtifactStore artifacts, DateTimeOffset now, CancellationToken cancellation)
    {
        if (draft is not { Bundles.Count: > 0 })
            return Result<IReadOnlyList<CosignBundleBinding>?>.Ok(null);
        if (Malformed(draft.Bundles.Select(b => b.Key).ToList()) is { } malformed)
            return malformed;
        var root = Root(draft.TrustedRoot, "the trusted root given");
        if (!root.IsOk)
            return root.Problem;
        foreach (var (artifact, bundle) in draft.Bundles)
        {
            if (Verify(artifact, bundle, subjects, draft.Signer, root.Value, now) is { } failed)
                return failed;
        }
        var rootDigest = draft.TrustedRoot is null ? null : await PutAsync(draft.TrustedRoot, artifacts, cancellation);
        var keyDigest = draft.Signer.PublicKeySpki is { } spki ? await PutAsync(spki, artifacts, cancellation) : null;
        var bindings = new List<CosignBundleBinding>();
        foreach (var (artifact, bundle) in draft.Bundles)
            bindings.Add(new CosignBundleBinding(artifact, await PutAsync(bundle, artifacts, cancellation), draft.Signer.Identity, draft.Signer.OidcIssuer, keyDigest, rootDigest));
        return Result<IReadOnlyList<CosignBundleBinding>?>.Ok(bindings);
    }

    /// <summary>The digests of the files the bindings keep in the store (bundles, keys, trusted roots), for <see cref="ReleaseContents"/>.</summary>
    public static IEnumerable<string> Digests(IReadOnlyList<CosignBundleBinding>? bindings) =>
        (bindings ?? []).SelectMany(b => (string?[])[b.Bundle, b.PublicKey, b.TrustedRoot]).OfType<string>().Distinct(StringComparer.Ordinal);

    /// <summary>Verifies every bundle the statement binds, reading each, its key and its trusted root from the store; null when all verify.</summary>
    public static async Task<Problem?> VerifyAsync(InTotoStatement statement, ReleasePredicate predicate, IArtifactStore artifacts, DateTimeOffset now, CancellationToken cancellation)
    {
        if (predicate.CosignBundles is not { } bindings)
            return null;
        if (Malformed(bindings.Select(b => b.Artifact).ToList()) is { } malformed)
            return malformed;
        foreach (var binding in bindings)
        {
            var signer = await SignerAsync(binding, artifacts, cancellation);
            if (!signer.IsOk)
                return signer.Problem;
            byte[]? rootJson = null;
            if (binding.TrustedRoot is not null)
            {
                var read = await ReadAsync(binding.TrustedRoot, TrustedRootMaterial.MaxSize, artifacts, cancellation);
                if (!read.IsOk)
                    return read.Problem;
                rootJson = read.Value;
            }
            var root = Root(rootJson, $"the trusted root {binding.TrustedRoot}");
            if (!root.IsOk)
                return root.Problem;
            var bundle = await ReadAsync(binding.Bundle, SigstoreBundleVerifier.MaxBundleSize, artifacts, cancellation);
            if (!bundle.IsOk)
                return bundle.Problem;
            if (Verify(binding.Artifact, bundle.Value, statement.Subjects, signer.Value, root.Value, now) is { } failed)
                return failed;
        }
        return null;
    }

    private static Problem? Verify(string artifact, byte[] bundle, IReadOnlyList<Subject> subjects, ExpectedSigner signer, TrustedRootMaterial root, DateTimeOffset now)
    {
        var subject = subjects.FirstOrDefault(s => s.Name == artifact);
        if (subject is null || !subject.Digest.TryGetValue("sha256", out var hex) || hex.Length != 64)
            return new Problem(ErrorCodes.CosignBundleArtifactUnknown, $"the cosign bundle for '{artifact}' names no artifact of the release (its artifacts are {string.Join(", ", subjects.Select(s => $"'{s.Name}'"))})");
        var verified = SigstoreBundleVerifier.Verify(bundle, BundleArtifact.FromDigest(Convert.FromHexString(hex)), signer, root, now);
        return verified.IsOk ? null : verified.Problem with { Message = $"the cosign bundle for artifact '{artifact}' (sha256:{hex}): {verified.Problem.Message}" };
    }

    private static Problem? Malformed(List<string> artifacts)
    {
        if (artifacts.Count > MaxBundles)
            return new Problem(ErrorCodes.CosignBundleBindingMalformed, $"{artifacts.Count} cosign bundles, more than the {MaxBundles} a release may carry");
        var twice = artifacts.GroupBy(a => a, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? null : new Problem(ErrorCodes.CosignBundleBindingMalformed, $"two cosign bundles for artifact '{twice.Key}': give one per artifact");
    }

    private static async Task<Result<ExpectedSigner>> SignerAsync(CosignBundleBinding binding, IArtifactStore artifacts, CancellationToken cancellation)
    {
        if (binding is { PublicKey: { } key, Identity: null, OidcIssuer: null })
        {
            var spki = await ReadAsync(key, MaxPublicKeySize, artifacts, cancellation);
            return spki.IsOk ? Result<ExpectedSigner>.Ok(ExpectedSigner.Key(spki.Value)) : spki.Problem;
        }
        return binding is { PublicKey: null, Identity: { } identity, OidcIssuer: { } issuer }
            ? Result<ExpectedSigner>.Ok(ExpectedSigner.Certificate(identity, issuer))
            : Result<ExpectedSigner>.Fail(ErrorCodes.CosignBundleBindingMalformed, $"the cosign bundle for '{binding.Artifact}' expects neither a key alone nor an identity with an issuer");
    }

    private static Result<TrustedRootMaterial> Root(byte[]? json, string what)
    {
        var parsed = TrustedRootMaterial.Parse(json ?? SigstoreTrustedRoots.PublicGood.ToArray());
        return parsed.IsOk || json is null ? parsed : parsed.Problem with { Message = $"{what}: {parsed.Problem.Message}" };
    }

    private static async Task<Result<byte[]>> ReadAsync(string digest, long maxSize, IArtifactStore artifacts, CancellationToken cancellation)
    {
        var parsed = Sha256Digest.Parse(digest);
        if (!parsed.IsOk)
            return Result<byte[]>.Fail(ErrorCodes.CosignBundleBindingMalformed, $"cosign bundle binding: {parsed.Problem.Message}");
        return await artifacts.ReadAllAsync(parsed.Value, maxSize, cancellation);
    }

    private static async Task<string> PutAsync(byte[] bytes, IArtifactStore artifacts, CancellationToken cancellation) =>
        (await artifacts.PutAsync(new MemoryStream(bytes), cancellation)).ToString();
}
