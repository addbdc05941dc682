using System.Security.Cryptography;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// The SHA-2 members of Sigstore's <c>HashAlgorithm</c> enum (sigstore_common.proto), by their JSON names, and the same
/// hashes by the object identifiers that name them in DER (RFC 5754 §2).
/// </summary>
internal static class SigstoreHashAlgorithms
{
    private static readonly Dictionary<string, HashAlgorithmName> ByName = new(StringComparer.Ordinal)
    {
        ["SHA2_256"] = HashAlgorithmName.SHA256,
        ["SHA2_384"] = HashAlgorithmName.SHA384,
        ["SHA2_512"] = HashAlgorithmName.SHA512,
    };

    public static string Names => string.Join(", ", ByName.Keys);

    public static bool TryGet(string name, out HashAlgorithmName algorithm) => ByName.TryGetValue(name, out algorithm);

    public static HashAlgorithmName? FromOid(string oid) => oid switch
    {
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        _ => null,
    };
}
