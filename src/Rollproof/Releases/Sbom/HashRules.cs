using System.Text.Json;

namespace Rollproof.Releases.Sbom;

/// <summary>CycloneDX's hash: a known algorithm and a hex digest of the length that algorithm produces.</summary>
internal static class HashRules
{
    // BLAKE3 is an extendable-output function, so its digest may take any length the schema allows for a hash.
    private static readonly Dictionary<string, int[]> HexDigitsByAlgorithm = new(StringComparer.Ordinal)
    {
        ["MD5"] = [32],
        ["SHA-1"] = [40],
        ["SHA-256"] = [64],
        ["SHA-384"] = [96],
        ["SHA-512"] = [128],
        ["SHA3-256"] = [64],
        ["SHA3-384"] = [96],
        ["SHA3-512"] = [128],
        ["BLAKE2b-256"] = [64],
        ["BLAKE2b-384"] = [96],
        ["BLAKE2b-512"] = [128],
        ["BLAKE3"] = [32, 40, 64, 96, 128],
    };

    private static readonly JsonRule Hash = Shape.All(
        Shape.Object(
            Shape.Required("alg", Shape.OneOf([.. HexDigitsByAlgorithm.Keys])),
            Shape.Required("content", Shape.String)),
        ContentFitsAlgorithm);

    public static string? Check(JsonElement hash, string path) => Hash(hash, path);

    private static string? ContentFitsAlgorithm(JsonElement hash, string path)
    {
        var algorithm = hash.GetProperty("alg").GetString()!;
        var content = hash.GetProperty("content").GetString()!;
        var lengths = HexDigitsByAlgorithm[algorithm];
        return lengths.Contains(content.Length) && content.All(char.IsAsciiHexDigit)
            ? null
            : Shape.Violation($"{path}.content", $"{algorithm} hashes are {string.Join(" or ", lengths)} hex digits, found {Shape.Quote(content)}");
    }
}
