using System.Text;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Tests.Transparency;

/// <summary>The 15-entry Tessera log in ../shared/testvectors/tlog-tiles: we read it, and we write it byte for byte.</summary>
public class TlogTilesVectorTests
{
    private const string SignerKey = "PRIVATE+KEY+example.com/log/testdata+33d7b496+AeymY/SZAX0jZcJ8enZ5FY1Dz+wTML2yWSkK+9DSF3eg";
    private const string VerifierKey = "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";
    private static readonly string[] Entries = ["one", "two", "three", "four", "five", "six", "seven", "eit", "nain", "ten", "ileven", "twelf", "threeten", "fourten", "fivten"];

    private static string VectorLog => SharedFiles.Vector("tlog-tiles");

    [Fact]
    public void All_16_checkpoints_verify_and_match_the_tree_of_the_entries()
    {
        var verifier = NoteKeys.ParseVerifierKey(VerifierKey).Value;
        var tree = new MemoryNodeSource();
        for (var size = 0; size <= Entries.Length; size++)
        {
            if (size > 0)
                tree.AppendEntry(Encoding.ASCII.GetBytes(Entries[size - 1]));
            var checkpoint = Checkpoint.Open(File.ReadAllBytes(Path.Combine(VectorLog, $"checkpoint.{size}")), verifier).Value.Checkpoint;
            Assert.Equal(size, checkpoint.Size);
            Assert.Equal(new ProofBuilder(tree).Root(size), checkpoint.RootHash);
        }
    }

    [Fact]
    public void The_auditor_verifies_every_entry_and_tile_of_the_vector_log()
    {
        var verified = TileLogAuditor.Verify(new FileSystemLogStorage(VectorLog), NoteKeys.ParseVerifierKey(VerifierKey).Value);
        Assert.True(verified.IsOk, verified.Problem?.ToString());
        Assert.Equal(15, verified.Value.Size);
    }

    [Fact]
    public async Task Writing_the_same_entries_reproduces_tiles_bundles_and_checkpoints_byte_for_byte()
    {
        using var dir = new TempDirectory();
        var storage = new FileSystemLogStorage(dir.Path);
        var signer = NoteKeys.ParseSignerKey(SignerKey).Value;

        Assert.Equal(File.ReadAllBytes(Path.Combine(VectorLog, "checkpoint.0")), LogWriter.Create(storage, signer).Value);
        await using (var writer = LogWriter.Open(storage, signer).Value)
        {
            for (var i = 0; i < Entries.Length; i++)
            {
                Assert.Equal(i, await writer.AppendAsync(Encoding.ASCII.GetBytes(Entries[i])));
                Assert.Equal(File.ReadAllBytes(Path.Combine(VectorLog, $"checkpoint.{i + 1}")), File.ReadAllBytes(dir.Combine("checkpoint")));
            }
        }

        var expected = Files(Path.Combine(VectorLog, "tile"));
        var actual = Files(dir.Combine("tile"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (path, bytes) in expected)
            Assert.True(bytes.SequenceEqual(actual[path]), $"{path} differs");
    }

    private static Dictionary<string, byte[]> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);
}
