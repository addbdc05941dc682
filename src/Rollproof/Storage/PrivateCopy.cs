using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>
/// Private temporary copies of blobs kept in remote stores (buckets, registries): files only this process opens,
/// gone when closed. A downloaded blob is handed out only after its copy hashes to its name.
/// </summary>
internal static class PrivateCopy
{
    public static FileStream Create(string prefix) =>
        new(Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    /// <summary>Copies <paramref name="body"/> into a private file, checked against <paramref name="digest"/>; <paramref name="where"/> names the store in a refusal.</summary>
    public static async Task<Result<Stream>> VerifiedAsync(Stream body, Sha256Digest digest, string prefix, string where, CancellationToken cancellation)
    {
        var copy = Create(prefix);
        try
        {
            var actual = await HashingCopy.CopyAsync(body, copy, cancellation);
            if (actual != digest)
            {
                await copy.DisposeAsync();
                return Result<Stream>.Fail(ErrorCodes.BlobCorrupt, $"blob {digest} in {where} has been altered: its content now hashes to {actual}");
            }
            copy.Position = 0;
            return Result<Stream>.Ok(copy);
        }
        catch
        {
            await copy.DisposeAsync();
            throw;
        }
    }
}
