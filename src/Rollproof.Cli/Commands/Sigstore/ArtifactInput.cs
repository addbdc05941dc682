using System.Security.Cryptography;
using Rollproof.Common;
using Rollproof.Sigstore.Verification;

namespace Rollproof.Cli.Commands.Sigstore;

/// <summary>
/// <c>FILE_OR_DIGEST</c> as the conformance protocol defines it: <c>sha256:</c> and 64 hex digits that name no file
/// is a digest; anything else is a path. A file is hashed as it streams; its bytes are kept only when small enough
/// to hold, since only Ed25519 message signatures need them.
/// </summary>
internal static class ArtifactInput
{
    private const long KeepBytesUpTo = 64L << 20;

    public static Result<BundleArtifact> Read(string fileOrDigest)
    {
        if (BundleArtifact.TryParseDigest(fileOrDigest, out var digest))
            return Result<BundleArtifact>.Ok(BundleArtifact.FromDigest(digest));
        var opened = InputFile.Open(fileOrDigest, "artifact");
        if (!opened.IsOk)
            return opened.Problem;
        try
        {
            using var file = opened.Value;
            if (file.Length > KeepBytesUpTo)
                return Result<BundleArtifact>.Ok(BundleArtifact.FromDigest(SHA256.HashData(file)));
            using var bytes = new MemoryStream();
            file.CopyTo(bytes);
            return Result<BundleArtifact>.Ok(BundleArtifact.FromBytes(bytes.ToArray()));
        }
        catch (IOException e)
        {
            return Result<BundleArtifact>.Fail(ErrorCodes.InputMissing, $"artifact '{fileOrDigest}' cannot be read: {e.Message}");
        }
    }
}
