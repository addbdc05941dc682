using System.Text.Json;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Tests.Transparency;

/// <summary>Every RFC 6962 / RFC 9162 case from transparency-dev/merkle: happy paths verify, every mutation is rejected.</summary>
public class MerkleVectorTests
{
    public static TheoryData<string> InclusionCases() => Cases("inclusion");

    public static TheoryData<string> ConsistencyCases() => Cases("consistency");

    /// <summary>The inclusion cases whose proof hashes are all 32 bytes: the others have no concatenated form.</summary>
    public static TheoryData<string> InclusionCasesOfWholeHashes()
    {
        var data = new TheoryData<string>();
        foreach (var file in Files("inclusion"))
        {
            if (Proof(Load(file)).All(hash => hash.Length == MerkleHasher.HashSize))
                data.Add(file);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(InclusionCases))]
    public void Inclusion_vector(string file)
    {
        var json = Load(file);
        var problem = MerkleProofs.VerifyInclusion(
            Size(json, "leafIdx"),
            Size(json, "treeSize"),
            Bytes(json, "leafHash"),
            Proof(json),
            Bytes(json, "root"));
        Assert.Equal(json.GetProperty("wantErr").GetBoolean(), problem is not null);
    }

    [Theory]
    [MemberData(nameof(InclusionCasesOfWholeHashes))]
    public void Inclusion_vector_with_the_proof_concatenated(string file)
    {
        var json = Load(file);
        var problem = MerkleProofs.VerifyInclusionConcatenated(
            Size(json, "leafIdx"),
            Size(json, "treeSize"),
            Bytes(json, "leafHash"),
            Proof(json).SelectMany(hash => hash).ToArray(),
            Bytes(json, "root"));
        Assert.Equal(json.GetProperty("wantErr").GetBoolean(), problem is not null);
    }

    [Theory]
    [MemberData(nameof(ConsistencyCases))]
    public void Consistency_vector(string file)
    {
        var json = Load(file);
        var problem = MerkleProofs.VerifyConsistency(
            Size(json, "size1"),
            Size(json, "size2"),
            Bytes(json, "root1"),
            Bytes(json, "root2"),
            Proof(json));
        Assert.Equal(json.GetProperty("wantErr").GetBoolean(), problem is not null);
    }

    [Fact]
    public void All_196_cases_are_present()
    {
        Assert.Equal(196, InclusionCases().Count + ConsistencyCases().Count);
    }

    private static TheoryData<string> Cases(string kind) => new(Files(kind));

    private static IEnumerable<string> Files(string kind) =>
        Directory.EnumerateFiles(SharedFiles.Vector("merkle", kind), "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(file => Path.GetRelativePath(SharedFiles.Vector("merkle"), file));

    private static JsonElement Load(string relative) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(SharedFiles.Vector("merkle"), relative))).RootElement;

    // The vectors use uint64; values beyond long's range become -1, which every verifier input check rejects.
    private static long Size(JsonElement json, string name)
    {
        var value = json.GetProperty(name).GetUInt64();
        return value > long.MaxValue ? -1 : (long)value;
    }

    private static byte[] Bytes(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? Convert.FromBase64String(value.GetString()!) : [];

    private static List<byte[]> Proof(JsonElement json) =>
        json.TryGetProperty("proof", out var proof) && proof.ValueKind == JsonValueKind.Array
            ? proof.EnumerateArray().Select(p => Convert.FromBase64String(p.GetString()!)).ToList()
            : [];
}
