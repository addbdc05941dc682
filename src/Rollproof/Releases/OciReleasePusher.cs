using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Storage;

namespace Rollproof.Releases;

/// <summary>Where a release went in a registry: its manifest (tagged with the version) and its signature's manifest.</summary>
public sealed record PushedRelease(Sha256Digest ReleaseManifest, string Tag, Sha256Digest SignatureManifest, string SignatureTag);

/// <summary>
/// Pushes a published release to an OCI registry as artifacts, so it travels with the images teams already ship:
/// a manifest of artifact type <see cref="ReleaseArtifactType"/> whose layers are the release's files and its in-toto
/// statement, tagged with the version; and a manifest of the DSSE envelope (and Sigstore bundle, if any) whose
/// subject is the release manifest. Registries without the referrers API find the signature under the cosign-style
/// tag <c>sha256-HEX</c> of the release manifest's digest, which is what this writes. The signature manifest also
/// carries the log's receipt (inclusion proof and signed checkpoint) and signed entry timestamp, and the cosign
/// bundles the statement binds (with their keys and trusted roots), so that <see cref="OciReleasePuller"/> can verify
/// the release against a verifier's trust without the store.
/// </summary>
public static class OciReleasePusher
{
    public const string ReleaseArtifactType = "application/vnd.rollproof.release.v1+json";
    public const string StatementMediaType = "application/vnd.in-toto+json";
    public const string BundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";
    public const string ReceiptMediaType = "application/vnd.rollproof.tlog-proof";
    public const string TimestampMediaType = "application/vnd.rollproof.entry-timestamp.v1+json";

    /// <summary>A cosign bundle the statement binds, or its key or trusted root: pushed so that <see cref="OciReleasePuller"/> verifies them as <c>release verify</c> does.</summary>
    public const string CosignMaterialMediaType = "application/vnd.rollproof.cosign-material";

    /// <summary>How the log's signed entry timestamp travels in a registry (and is read back by <see cref="OciReleaseFetcher"/>).</summary>
    internal static System.Text.Json.JsonSerializerOptions TimestampJson { get; } = new(System.Text.Json.JsonSerializerDefaults.Web) { RespectRequiredConstructorParameters = true };
    public const string AppAnnotation = "dev.rollproof.app";
    public const string VersionAnnotation = "org.opencontainers.image.version";

    public static string SignatureTag(Sha256Digest releaseManifest) => $"sha256-{releaseManifest.Hex}";

    public static async Task<Result<PushedRelease>> PushAsync(ReleaseStore store, string app, string version, OciRegistryClient registry, CancellationToken cancellation = default)
    {
        var record = store.Find(app, version);
        if (!record.IsOk)
            return record.Problem;
        if (record.Value.LogIndex is null)
            return Result<PushedRelease>.Fail(ErrorCodes.ReleaseNotFound, $"{app} {version} was never logged; publish it first");
        var tag = version.Replace('+', '_'); // '+' is not allowed in tags; Docker's convention for semver build metadata
        if (!OciRepository.IsTag(tag))
            return Result<PushedRelease>.Fail(ErrorCodes.InputMalformed, $"version '{version}' cannot be a registry tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')");
        var envelope = await store.ReadEnvelopeAsync(record.Value.EnvelopeDigest, cancellation);
        if (!envelope.IsOk)
            return envelope.Problem;
        var opened = ReleaseStatement.Open(envelope.Value);
        if (!opened.IsOk)
            return opened.Problem;

        var layers = new List<OciDescriptor>();
        foreach (var subject in opened.Value.Statement.Subjects)
        {
            var digest = Sha256Digest.Parse(subject.Digest.GetValueOrDefault("sha256", ""));
            if (!digest.IsOk)
                return digest.Problem;
            var pushed = await PushStoredAsync(store, registry, digest.Value, OciMediaTypes.Blob, subject.Name, cancellation);
            if (!pushed.IsOk)
                return pushed.Problem;
            layers.Add(pushed.Value);
        }
        var statement = await PushBytesAsync(registry, opened.Value.Envelope.Payload, StatementMediaType, "statement.json", cancellation);
        if (!statement.IsOk)
            return statement.Problem;
        var config = await PushBytesAsync(registry, OciMediaTypes.EmptyJson.ToArray(), OciMediaTypes.Empty, null, cancellation);
        if (!config.IsOk)
            return config.Problem;
        var manifest = new OciManifest(OciMediaTypes.EmptyDescriptor, [.. layers, statement.Value])
        {
            ArtifactType = ReleaseArtifactType,
            Annotations = new Dictionary<string, string> { [AppAnnotation] = app, [VersionAnnotation] = version },
        };
        var releaseDigest = await registry.PutManifestAsync(tag, manifest, cancellation);
        if (!releaseDigest.IsOk)
            return releaseDigest.Problem;

        var signatureLayers = new List<OciDescriptor>();
        var envelopeLayer = await PushBytesAsync(registry, envelope.Value, OciMediaTypes.DsseEnvelope, "envelope.json", cancellation);
        if (!envelopeLayer.IsOk)
            return envelopeLayer.Problem;
        signatureLayers.Add(envelopeLayer.Value);
        var receipt = store.Receipt(record.Value.LogIndex.Value);
        if (!receipt.IsOk)
            return receipt.Problem;
        if (record.Value.Logged is not { } logged)
            return Result<PushedRelease>.Fail(ErrorCodes.EntryTimestampInvalid, $"{app} {version} has no signed entry timestamp from the log to push with it");
        foreach (var (bytes, mediaType, title) in (IEnumerable<(byte[], string, string)>)[
            (System.Text.Encoding.UTF8.GetBytes(receipt.Value.Format()), ReceiptMediaType, "release.tlog-proof"),
            (System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(logged, TimestampJson), TimestampMediaType, "entry-timestamp.json")])
        {
            var layer = await PushBytesAsync(registry, bytes, mediaType, title, cancellation);
            if (!layer.IsOk)
                return layer.Problem;
            signatureLayers.Add(layer.Value);
        }
        if (record.Value.SigstoreBundleDigest is { } bundle)
        {
            var bundleLayer = await PushStoredAsync(store, registry, Sha256Digest.Parse(bundle).Value, BundleMediaType, "bundle.sigstore.json", cancellation);
            if (!bundleLayer.IsOk)
                return bundleLayer.Problem;
            signatureLayers.Add(bundleLayer.Value);
        }
        foreach (var digest in ReleaseCosignBundles.Digests(opened.Value.Predicate.CosignBundles))
        {
            var parsed = Sha256Digest.Parse(digest);
            var layer = parsed.IsOk ? await PushStoredAsync(store, registry, parsed.Value, CosignMaterialMediaType, $"cosign-{parsed.Value.Hex}", cancellation) : parsed.Problem;
            if (!layer.IsOk)
                return layer.Problem;
            signatureLayers.Add(layer.Value);
        }
        var signature = new OciManifest(OciMediaTypes.EmptyDescriptor, signatureLayers)
        {
            ArtifactType = OciMediaTypes.DsseEnvelope,
            Subject = new OciDescriptor(OciMediaTypes.ImageManifest, releaseDigest.Value, manifest.ToJson().Length),
        };
        var signatureTag = SignatureTag(releaseDigest.Value);
        var signatureDigest = await registry.PutManifestAsync(signatureTag, signature, cancellation);
        return signatureDigest.IsOk
            ? Result<PushedRelease>.Ok(new PushedRelease(releaseDigest.Value, tag, signatureDigest.Value, signatureTag))
            : signatureDigest.Problem;
    }

    private static async Task<Result<OciDescriptor>> PushStoredAsync(ReleaseStore store, OciRegistryClient registry, Sha256Digest digest, string mediaType, string title, CancellationToken cancellation)
    {
        var blob = await store.Artifacts.OpenAsync(digest, cancellation);
        if (!blob.IsOk)
            return blob.Problem;
        await using var content = blob.Value;
        var size = content.Length;
        var exists = await registry.BlobExistsAsync(digest, cancellation);
        if (!exists.IsOk)
            return exists.Problem;
        if (!exists.Value && await registry.PushBlobAsync(digest, content, cancellation) is { } failed)
            return failed;
        return Result<OciDescriptor>.Ok(Titled(new OciDescriptor(mediaType, digest, size), title));
    }

    private static async Task<Result<OciDescriptor>> PushBytesAsync(OciRegistryClient registry, byte[] bytes, string mediaType, string? title, CancellationToken cancellation)
    {
        var digest = Sha256Digest.Of(bytes);
        var exists = await registry.BlobExistsAsync(digest, cancellation);
        if (!exists.IsOk)
            return exists.Problem;
        if (!exists.Value && await registry.PushBlobAsync(digest, new MemoryStream(bytes), cancellation) is { } failed)
            return failed;
        var descriptor = new OciDescriptor(mediaType, digest, bytes.Length);
        return Result<OciDescriptor>.Ok(title is null ? descriptor : Titled(descriptor, title));
    }

    private static OciDescriptor Titled(OciDescriptor descriptor, string title) =>
        descriptor with { Annotations = new Dictionary<string, string> { [OciMediaTypes.TitleAnnotation] = title } };
}
