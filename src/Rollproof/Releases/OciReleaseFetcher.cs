using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Storage;

namespace Rollproof.Releases;

/// <summary>A release as fetched from a registry: its manifest, signed envelope, and files by name and digest (read them through an <see cref="OciArtifactStore"/>).</summary>
public sealed record FetchedRelease(OciManifest Manifest, byte[] Envelope, byte[]? SigstoreBundle, IReadOnlyList<OciDescriptor> Artifacts)
{
    /// <summary>The log's receipt for the envelope (tlog-proof text), when the push carried one.</summary>
    public byte[]? Receipt { get; init; }

    /// <summary>The log's signed entry timestamp for the envelope (JSON), when the push carried one.</summary>
    public byte[]? Timestamp { get; init; }
}

/// <summary>
/// Fetches a release pushed by <see cref="OciReleasePusher"/> by its manifest's digest, finds its signature under the
/// <c>sha256-HEX</c> tag, and checks that the three agree: the signature's subject is this manifest, and the signed
/// statement names exactly the files the manifest carries. Whether the signature is trusted is then
/// <see cref="DsseEnvelope.Verify"/>'s and the trust file's business.
/// </summary>
public static class OciReleaseFetcher
{
    private const long EntryLimit = Transparency.EntryBundle.MaxEntrySize;

    public static async Task<Result<FetchedRelease>> FetchAsync(OciRegistryClient registry, Sha256Digest releaseManifest, CancellationToken cancellation = default)
    {
        var release = await registry.GetManifestAsync(releaseManifest.ToString(), cancellation);
        if (!release.IsOk)
            return release.Problem;
        var manifest = release.Value.Manifest;
        if (manifest.ArtifactType != OciReleasePusher.ReleaseArtifactType)
            return Mismatch($"manifest {releaseManifest} is a '{manifest.ArtifactType}', not a Rollproof release");
        var signature = await registry.GetManifestAsync(OciReleasePusher.SignatureTag(releaseManifest), cancellation);
        if (!signature.IsOk)
            return signature.Problem with { Message = $"no signature found for {releaseManifest}: {signature.Problem.Message}" };
        if (signature.Value.Manifest.Subject?.Digest != releaseManifest)
            return Mismatch($"the manifest tagged {OciReleasePusher.SignatureTag(releaseManifest)} is about {signature.Value.Manifest.Subject?.Digest.ToString() ?? "nothing"}, not {releaseManifest}");

        IArtifactStore blobs = new OciArtifactStore(registry);
        var envelopeLayer = signature.Value.Manifest.Layers.FirstOrDefault(l => l.MediaType == OciMediaTypes.DsseEnvelope);
        if (envelopeLayer is null)
            return Mismatch($"the signature manifest of {releaseManifest} holds no DSSE envelope");
        var envelope = await blobs.ReadAllAsync(envelopeLayer.Digest, EntryLimit, cancellation);
        if (!envelope.IsOk)
            return envelope.Problem;
        var optional = new Dictionary<string, byte[]?>();
        foreach (var mediaType in (string[])[OciReleasePusher.BundleMediaType, OciReleasePusher.ReceiptMediaType, OciReleasePusher.TimestampMediaType])
        {
            optional[mediaType] = null;
            if (signature.Value.Manifest.Layers.FirstOrDefault(l => l.MediaType == mediaType) is not { } layer)
                continue;
            var read = await blobs.ReadAllAsync(layer.Digest, EntryLimit, cancellation);
            if (!read.IsOk)
                return read.Problem;
            optional[mediaType] = read.Value;
        }

        var opened = ReleaseStatement.Open(envelope.Value);
        if (!opened.IsOk)
            return opened.Problem;
        var artifacts = manifest.Layers.Where(l => l.MediaType == OciMediaTypes.Blob).ToList();
        var signed = opened.Value.Statement.Subjects.Select(s => (s.Name, Digest: "sha256:" + s.Digest.GetValueOrDefault("sha256", ""))).Order().ToList();
        var carried = artifacts.Select(a => (Name: a.Title ?? "", Digest: a.Digest.ToString())).Order().ToList();
        if (!signed.SequenceEqual(carried))
            return Mismatch($"the files in manifest {releaseManifest} are not the ones its signed statement names");
        var statementLayer = manifest.Layers.FirstOrDefault(l => l.MediaType == OciReleasePusher.StatementMediaType);
        if (statementLayer?.Digest != Sha256Digest.Of(opened.Value.Envelope.Payload))
            return Mismatch($"the statement in manifest {releaseManifest} is not the one its envelope signs");
        return Result<FetchedRelease>.Ok(new FetchedRelease(manifest, envelope.Value, optional[OciReleasePusher.BundleMediaType], artifacts)
        {
            Receipt = optional[OciReleasePusher.ReceiptMediaType],
            Timestamp = optional[OciReleasePusher.TimestampMediaType],
        });
    }

    private static Result<FetchedRelease> Mismatch(string message) => Result<FetchedRelease>.Fail(ErrorCodes.ReleaseMismatch, message);
}
