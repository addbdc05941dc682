using System.Security.Cryptography;
using Rollproof.Common;
using Rollproof.Storage;
using Rollproof.Testing;

namespace Rollproof.Tests.Storage;

public sealed class FileSystemArtifactStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        // Blobs are read-only; make them writable again so the temporary directory can go.
        foreach (var file in Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories))
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _dir.Dispose();
    }

    [Fact]
    public async Task Blobs_are_addressed_by_sha256_and_read_back_intact()
    {
        var store = new FileSystemArtifactStore(_dir.Path);
        var data = RandomNumberGenerator.GetBytes(3 << 20);

        var digest = await store.PutAsync(new MemoryStream(data));

        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(data)), digest.ToString());
        await using var read = (await store.OpenAsync(digest)).Value;
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir.Path, "incoming")));
    }

    [Fact]
    public async Task Storing_the_same_bytes_again_changes_nothing_and_blobs_are_read_only()
    {
        var store = new FileSystemArtifactStore(_dir.Path);
        var first = await store.PutAsync(new MemoryStream("release"u8.ToArray()));
        var path = Directory.EnumerateFiles(Path.Combine(_dir.Path, "sha256"), "*", SearchOption.AllDirectories).Single();
        var written = File.GetLastWriteTimeUtc(path);

        var second = await store.PutAsync(new MemoryStream("release"u8.ToArray()));

        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task An_altered_blob_is_refused_on_read()
    {
        var store = new FileSystemArtifactStore(_dir.Path);
        var digest = await store.PutAsync(new MemoryStream("artifact v1.4.2"u8.ToArray()));
        var path = Directory.EnumerateFiles(Path.Combine(_dir.Path, "sha256"), "*", SearchOption.AllDirectories).Single();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, "artifact v1.4.3");

        var opened = await store.OpenAsync(digest);

        Assert.Equal(ErrorCodes.BlobCorrupt, opened.Problem?.Code);
        Assert.Contains("has been altered", opened.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_blob_is_a_problem_not_an_exception()
    {
        var store = new FileSystemArtifactStore(_dir.Path);
        var opened = await store.OpenAsync(Sha256Digest.Of("never stored"u8));
        Assert.Equal(ErrorCodes.BlobMissing, opened.Problem?.Code);
        Assert.False(await store.ExistsAsync(Sha256Digest.Of("never stored"u8)));
    }

    [Theory]
    [InlineData("sha256:ABC")]
    [InlineData("sha512:" + "00000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:../../etc/passwd")]
    [InlineData("")]
    public void Malformed_digests_are_rejected(string text)
    {
        Assert.Equal(ErrorCodes.DigestMalformed, Sha256Digest.Parse(text).Problem?.Code);
    }
}
