using System.Text;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;
using Rollproof.Trust;

namespace Rollproof.Releases;

/// <summary>A release pulled from a registry and verified: what it is, who signed it, when the log took it, and what was written.</summary>
public sealed record PulledRelease(ReleasePredicate Predicate, Sha256Digest Manifest, string SignedBy, long LogIndex, DateTimeOffset LoggedAt, IReadOnlyList<(string Name, Sha256Digest Digest)> Files, IReadOnlyList<ContainerImage> Images);

/// <summary>
/// Pulls a release pushed by <see cref="OciReleasePusher"/> and verifies it with the verifier's own trust before
/// anything reaches the output directory: the log's signed entry timestamp and receipt (inclusion under a checkpoint
/// signed by the log key the trust names), the signer's right to sign releases at the logged time, the cosign bundles
/// the statement binds, and every file's digest. Everything is written to a hidden directory beside the output, which
/// is renamed into place only when all of it checked out, and removed otherwise: a failed pull leaves nothing behind.
/// </summary>
public static class OciReleasePuller
{
    public const string EnvelopeFile = "envelope.json";
    public const string ReceiptFile = "release.tlog-proof";
    public const string BundleFile = "bundle.sigstore.json";
    public const string ArtifactsDirectory = "artifacts";

    public static async Task<Result<PulledRelease>> PullAsync(OciRegistryClient registry, string reference, TrustFile trust, string outputDirectory, CancellationToken cancellation = default)
    {
        var output = Path.GetFullPath(outputDirectory);
        if (File.Exists(output) || (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any()))
            return Result<PulledRelease>.Fail(ErrorCodes.InputMalformed, $"'{output}' already exists and is not an empty directory: a release is pulled into a new one");
        var manifest = await ResolveAsync(registry, reference, cancellation);
        if (!manifest.IsOk)
            return manifest.Problem;
        var fetched = await OciReleaseFetcher.FetchAsync(registry, manifest.Value, cancellation);
        if (!fetched.IsOk)
            return fetched.Problem;
        var verified = await VerifyAsync(fetched.Value, trust, registry, cancellation);
        if (!verified.IsOk)
            return verified.Problem;
        var (predicate, signedBy, receipt, loggedAt) = verified.Value;

        var staging = Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.pull-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(Path.Combine(staging, ArtifactsDirectory));
            await File.WriteAllBytesAsync(Path.Combine(staging, EnvelopeFile), fetched.Value.Envelope, cancellation);
            await File.WriteAllBytesAsync(Path.Combine(staging, ReceiptFile), fetched.Value.Receipt!, cancellation);
            if (fetched.Value.SigstoreBundle is { } bundle)
                await File.WriteAllBytesAsync(Path.Combine(staging, BundleFile), bundle, cancellation);
            var images = (predicate.Images ?? []).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            var files = new List<(string, Sha256Digest)>();
            IArtifactStore blobs = new OciArtifactStore(registry);
            foreach (var artifact in fetched.Value.Artifacts.Where(a => !images.Contains(a.Title ?? "")))
            {
                var name = artifact.Title ?? "";
                if (name.Length == 0 || name is "." or ".." || Path.GetFileName(name) != name || name.Contains('\\', StringComparison.Ordinal))
                    return Result<PulledRelease>.Fail(ErrorCodes.ReleaseMismatch, $"the release names a file '{name}', which is not a plain file name: refusing to write it");
                var blob = await blobs.OpenAsync(artifact.Digest, cancellation);
                if (!blob.IsOk)
                    return blob.Problem;
                await using (var content = blob.Value)
                await using (var file = new FileStream(Path.Combine(staging, ArtifactsDirectory, name), FileMode.CreateNew))
                    await content.CopyToAsync(file, cancellation);
                files.Add((name, artifact.Digest));
            }
            if (Directory.Exists(output))
                Directory.Delete(output);
            Directory.Move(staging, output);
            return Result<PulledRelease>.Ok(new PulledRelease(predicate, manifest.Value, signedBy, receipt.Index, loggedAt, files, predicate.Images ?? []));
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    // A tag is looked up once; from then on the release is read by the digest of what the tag named.
    private static async Task<Result<Sha256Digest>> ResolveAsync(OciRegistryClient registry, string reference, CancellationToken cancellation)
    {
        if (reference.StartsWith("sha256:", StringComparison.Ordinal))
            return Sha256Digest.Parse(reference);
        var tagged = await registry.GetManifestAsync(reference, cancellation);
        return tagged.IsOk ? Result<Sha256Digest>.Ok(tagged.Value.Digest) : tagged.Problem;
    }

    // The same checks as ReleaseVerifier's, with the log's receipt in place of the log: the timestamp and the
    // checkpoint are checked with the log key the verifier's trust names, never one the registry supplies. The cosign
    // bundles the statement binds are read from the registry by their bound digests: absent or altered, the pull fails.
    private static async Task<Result<(ReleasePredicate Predicate, string SignedBy, TlogProof Receipt, DateTimeOffset LoggedAt)>> VerifyAsync(FetchedRelease fetched, TrustFile trust, OciRegistryClient registry, CancellationToken cancellation)
    {
        if (fetched.Receipt is null || fetched.Timestamp is null)
            return Result<(ReleasePredicate, string, TlogProof, DateTimeOffset)>.Fail(ErrorCodes.ReceiptInvalid, "the release was pushed without the log's receipt and signed entry timestamp (by an older Rollproof): push it again to pull it verified");
        var receipt = TlogProof.Parse(fetched.Receipt);
        if (!receipt.IsOk)
            return receipt.Problem;
        SignedEntryTimestamp? timestamp;
        try
        {
            timestamp = JsonSerializer.Deserialize<SignedEntryTimestamp>(fetched.Timestamp, OciReleasePusher.TimestampJson);
        }
        catch (JsonException e)
        {
            return Result<(ReleasePredicate, string, TlogProof, DateTimeOffset)>.Fail(ErrorCodes.EntryTimestampInvalid, $"the pushed entry timestamp is not readable: {e.Message}");
        }
        if (timestamp is null || !timestamp.IsDate)
            return Result<(ReleasePredicate, string, TlogProof, DateTimeOffset)>.Fail(ErrorCodes.EntryTimestampInvalid, "the pushed entry timestamp holds no time");
        var checkpointText = Encoding.UTF8.GetString(receipt.Value.SignedCheckpoint);
        var origin = checkpointText[..Math.Max(0, checkpointText.IndexOf('\n'))];
        var anchor = LogAnchor.FromTrust(trust, origin);
        if (!anchor.IsOk)
            return anchor.Problem;
        if (timestamp.Verify(anchor.Value.Key, fetched.Envelope, receipt.Value.Index) is { } stamp)
            return stamp;
        var included = receipt.Value.Verify(MerkleHasher.LeafHash(fetched.Envelope), TlogPolicy.ForLog(anchor.Value.Key));
        if (!included.IsOk)
            return included.Problem;
        var verdict = StatementJudge.Judge(fetched.Envelope, receipt.Value.Index, timestamp.Time, trust);
        if (!verdict.IsOk)
            return verdict.Problem;
        if (verdict.Value.Kind != KnownKinds.Release || verdict.Value.Signer is not { } signer)
            return Result<(ReleasePredicate, string, TlogProof, DateTimeOffset)>.Fail(ErrorCodes.KeyNotTrusted, $"the pulled statement (log index {receipt.Value.Index}) does not count as a release under this trust: {verdict.Value.SetAside ?? "not a release statement"}");
        var opened = ReleaseStatement.Open(fetched.Envelope);
        if (!opened.IsOk)
            return opened.Problem;
        if (ReleaseImages.Check(opened.Value.Statement, opened.Value.Predicate) is { } images)
            return images;
        if (await ReleaseCosignBundles.VerifyAsync(opened.Value.Statement, opened.Value.Predicate, new OciArtifactStore(registry), DateTimeOffset.UtcNow, cancellation) is { } bundles)
            return bundles;
        return Result<(ReleasePredicate, string, TlogProof, DateTimeOffset)>.Ok((opened.Value.Predicate, signer.Key.KeyId, receipt.Value, timestamp.Time));
    }
}
