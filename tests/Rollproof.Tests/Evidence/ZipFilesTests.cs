using System.Buffers.Binary;
using Rollproof.Common;
using Rollproof.Evidence;

namespace Rollproof.Tests.Evidence;

public sealed class ZipFilesTests
{
    [Fact]
    public void A_zip_whose_directory_miscounts_its_entries_is_refused_not_thrown()
    {
        // Found by the fuzzer (tlog-tiles, seed 1, iteration 3): the entry count is read lazily, outside the reader's guard.
        var zip = Zip(("a", "1"u8.ToArray()), ("b", "2"u8.ToArray()));
        var endOfDirectory = zip.Length - 22;
        BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(endOfDirectory + 8), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(endOfDirectory + 10), 3);

        var read = ZipFiles.Read(new MemoryStream(zip), "package.zip");

        Assert.Equal(ErrorCodes.EvidenceInvalid, read.Problem?.Code);
        Assert.Contains("package.zip is not a zip archive", read.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_well_formed_zip_reads_back_its_files()
    {
        var read = ZipFiles.Read(new MemoryStream(Zip(("a", "1"u8.ToArray()), ("b/c", "2"u8.ToArray()))), "package.zip");

        Assert.Equal(["a", "b/c"], read.Value.Keys);
        Assert.Equal("2"u8.ToArray(), read.Value["b/c"]);
    }

    private static byte[] Zip(params (string Name, byte[] Bytes)[] files)
    {
        using var output = new MemoryStream();
        ZipFiles.Write(output, files.Select(f => KeyValuePair.Create(f.Name, f.Bytes)));
        return output.ToArray();
    }
}
