using System.Formats.Tar;
using System.IO.Compression;
using Rollproof.Common;
using Rollproof.Storage;
using Rollproof.Targets;
using Rollproof.Testing;

namespace Rollproof.Tests.Targets;

public sealed class ReleaseDirectoriesTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FileSystemArtifactStore _store;
    private readonly ReleaseDirectories _releases;

    public ReleaseDirectoriesTests()
    {
        _store = new FileSystemArtifactStore(_dir.Combine("artifacts"));
        _releases = new ReleaseDirectories(_dir.Combine("releases"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_gzipped_tar_is_unpacked_by_digest_with_its_modes_and_an_intact_folder_is_kept_as_it_is()
    {
        var digest = await PutAsync(Tar(gzip: true, ("app/run.sh", "#!/bin/sh\necho hi\n", (UnixFileMode)0b111_101_101), ("app/config.json", "{}", (UnixFileMode)0b110_100_100)));

        var dir = (await _releases.UnpackAsync(_store, digest, "app.tar.gz", CancellationToken.None)).Value.Directory;
        var again = (await _releases.UnpackAsync(_store, digest, "app.tar.gz", CancellationToken.None)).Value;

        Assert.Equal(_releases.PathOf(digest), dir);
        Assert.Equal(dir, again.Directory);
        Assert.Empty(again.Restored);
        Assert.True(File.GetUnixFileMode(Path.Combine(dir, "app", "run.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(dir, "app", "config.json")).HasFlag(UnixFileMode.UserExecute));
        Assert.Empty(Directory.EnumerateDirectories(_releases.Root, ".unpacking-*"));
    }

    [Fact]
    public async Task Files_edited_added_or_made_executable_in_an_unpacked_folder_are_unpacked_again_before_it_is_used()
    {
        var digest = await PutAsync(Tar(gzip: true, ("app/run.sh", "#!/bin/sh\necho hi\n", (UnixFileMode)0b111_101_101), ("app/config.json", "{}", (UnixFileMode)0b110_100_100)));
        var dir = (await _releases.UnpackAsync(_store, digest, "app.tar.gz", CancellationToken.None)).Value.Directory;
        File.WriteAllText(Path.Combine(dir, "app", "run.sh"), "#!/bin/sh\necho evil\n");
        File.WriteAllText(Path.Combine(dir, "app", "preload.sh"), "echo evil");
        File.SetUnixFileMode(Path.Combine(dir, "app", "config.json"), (UnixFileMode)0b111_101_101);

        var again = (await _releases.UnpackAsync(_store, digest, "app.tar.gz", CancellationToken.None)).Value;

        Assert.Equal(["app/config.json", "app/preload.sh", "app/run.sh"], again.Restored);
        Assert.Equal("#!/bin/sh\necho hi\n", File.ReadAllText(Path.Combine(dir, "app", "run.sh")));
        Assert.False(File.Exists(Path.Combine(dir, "app", "preload.sh")));
        Assert.False(File.GetUnixFileMode(Path.Combine(dir, "app", "config.json")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal([dir], Directory.EnumerateFileSystemEntries(_releases.Root));
    }

    [Fact]
    public async Task A_file_swapped_for_a_link_is_unpacked_again_even_when_the_link_leads_to_the_same_bytes()
    {
        var digest = await PutAsync(Tar(gzip: false, ("run.sh", "echo 1.0", (UnixFileMode)0b111_101_101)));
        var dir = (await _releases.UnpackAsync(_store, digest, "app.tar", CancellationToken.None)).Value.Directory;
        File.Copy(Path.Combine(dir, "run.sh"), _dir.Combine("elsewhere.sh"));
        File.Delete(Path.Combine(dir, "run.sh"));
        File.CreateSymbolicLink(Path.Combine(dir, "run.sh"), _dir.Combine("elsewhere.sh"));

        var again = (await _releases.UnpackAsync(_store, digest, "app.tar", CancellationToken.None)).Value;

        Assert.Equal(["run.sh"], again.Restored);
        Assert.Null(new FileInfo(Path.Combine(dir, "run.sh")).LinkTarget);
    }

    [Fact]
    public async Task A_single_file_artifact_is_placed_as_itself_and_executable()
    {
        var digest = await PutAsync("#!/bin/sh\necho 1.0\n"u8.ToArray());

        var dir = (await _releases.UnpackAsync(_store, digest, "bin/app", CancellationToken.None)).Value.Directory;

        Assert.Equal("#!/bin/sh\necho 1.0\n", File.ReadAllText(Path.Combine(dir, "app")));
        Assert.True(File.GetUnixFileMode(Path.Combine(dir, "app")).HasFlag(UnixFileMode.UserExecute));
    }

    [Theory]
    [InlineData("../escape", "would land outside its release folder")]
    [InlineData("/etc/passwd", "would land outside its release folder")]
    [InlineData("link", "of type SymbolicLink")]
    public async Task Entries_that_escape_or_link_are_refused_and_nothing_is_left(string name, string message)
    {
        var stream = new MemoryStream();
        using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            if (name == "link")
                tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = "/etc/shadow" });
            else
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("x"u8.ToArray()) });
        }
        var digest = await PutAsync(stream.ToArray());

        var unpacked = await _releases.UnpackAsync(_store, digest, "evil.tar", CancellationToken.None);

        Assert.Equal(ErrorCodes.TargetFailed, unpacked.Problem?.Code);
        Assert.Contains(message, unpacked.Problem!.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_releases.Root));
    }

    [Fact]
    public async Task An_artifact_changed_in_the_store_is_not_unpacked()
    {
        var digest = await PutAsync(Tar(gzip: false, ("run.sh", "echo 1.0", (UnixFileMode)0b111_101_101)));
        var blob = Directory.EnumerateFiles(_dir.Combine("artifacts"), digest.Hex, SearchOption.AllDirectories).Single();
        File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllBytes(blob, Tar(gzip: false, ("run.sh", "echo evil", (UnixFileMode)0b111_101_101)));

        var unpacked = await _releases.UnpackAsync(_store, digest, "app.tar", CancellationToken.None);

        Assert.False(unpacked.IsOk);
        Assert.False(Directory.Exists(_releases.PathOf(digest)));
    }

    [Fact]
    public async Task A_truncated_archive_is_refused_as_unreadable()
    {
        var whole = Tar(gzip: true, ("big", new string('x', 100_000), (UnixFileMode)0b110_100_100));
        var digest = await PutAsync(whole[..(whole.Length / 2)]);

        var unpacked = await _releases.UnpackAsync(_store, digest, "app.tar.gz", CancellationToken.None);

        Assert.Equal(ErrorCodes.TargetFailed, unpacked.Problem?.Code);
        Assert.Contains("not a readable tar archive", unpacked.Problem!.Message, StringComparison.Ordinal);
    }

    private async Task<Sha256Digest> PutAsync(byte[] content) => await _store.PutAsync(new MemoryStream(content));

    private static byte[] Tar(bool gzip, params (string Name, string Content, UnixFileMode Mode)[] files)
    {
        var tarBytes = new MemoryStream();
        using (var tar = new TarWriter(tarBytes, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, content, mode) in files)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode, DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) });
        if (!gzip)
            return tarBytes.ToArray();
        var zipped = new MemoryStream();
        using (var compress = new GZipStream(zipped, CompressionLevel.Fastest, leaveOpen: true))
            compress.Write(tarBytes.ToArray());
        return zipped.ToArray();
    }
}
