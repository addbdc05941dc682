using Rollproof.Common;
using Rollproof.Testing;

namespace Rollproof.Tests.Common;

/// <summary>The one bounded reader of outside files: regular files (and links to them) up to a limit, nothing else.</summary>
public sealed class InputFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_file_at_the_limit_and_a_link_to_it_are_read_one_byte_more_is_refused()
    {
        var file = _dir.Combine("policy.yaml");
        File.WriteAllBytes(file, new byte[100]);
        var link = _dir.Combine("link.yaml");
        File.CreateSymbolicLink(link, file);

        Assert.Equal(100, InputFile.Read(file, 100, "policy file").Value.Length);
        Assert.Equal(100, InputFile.Read(link, 100, "policy file").Value.Length);
        var over = InputFile.Read(file, 99, "policy file");
        Assert.Equal(ErrorCodes.InputTooLarge, over.Problem?.Code);
        Assert.Equal($"policy file '{file}' is 100 bytes, more than the 99-byte limit", over.Problem?.Message);
    }

    [Fact]
    public void A_missing_file_a_directory_and_a_dangling_link_are_refused_by_name()
    {
        var dangling = _dir.Combine("dangling");
        File.CreateSymbolicLink(dangling, _dir.Combine("gone"));

        Assert.Equal($"key file '{dangling}' does not exist", InputFile.Read(dangling, 10, "key file").Problem?.Message);
        var directory = InputFile.Read(_dir.Path, 10, "key file");
        Assert.Equal(ErrorCodes.InputNotRegularFile, directory.Problem?.Code);
        Assert.Contains("is not a regular file (it is a directory)", directory.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_is_refused_before_it_is_read()
    {
        var zero = InputFile.Read("/dev/zero", long.MaxValue - 1, "SBOM");

        Assert.Equal(ErrorCodes.InputNotRegularFile, zero.Problem?.Code);
        Assert.Equal("SBOM '/dev/zero' is not a regular file (it is a device, FIFO or socket); only a file can be read", zero.Problem?.Message);
    }
}
