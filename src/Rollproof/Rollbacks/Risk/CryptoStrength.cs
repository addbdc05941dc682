namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// Approximate classical security, in bits, of common algorithms (NIST SP 800-57 Part 1 figures; broken ones at the
/// strength attacks leave them): enough to tell that a rollback goes to something weaker. Unknown names give null and
/// are compared by name only.
/// </summary>
public static class CryptoStrength
{
    private static readonly (string Name, int Bits)[] Known =
    [
        ("MD5", 0), ("RC4", 0), ("SHA1", 63), ("DES", 56), ("3DES", 80), ("TDES", 80), ("DESEDE", 80),
        ("SHA224", 112), ("SHA256", 128), ("SHA384", 192), ("SHA512", 256), ("SHA3256", 128), ("SHA3512", 256),
        ("AES128", 128), ("AES192", 192), ("AES256", 256), ("CHACHA20", 256),
        ("ED25519", 128), ("X25519", 128), ("ED448", 224), ("X448", 224),
        ("P256", 128), ("ES256", 128), ("SECP256R1", 128), ("PRIME256V1", 128), ("ECDSAP256", 128),
        ("P384", 192), ("ES384", 192), ("SECP384R1", 192), ("ECDSAP384", 192),
        ("P521", 256), ("ES512", 256), ("SECP521R1", 256), ("ECDSAP521", 256),
        ("HS256", 128), ("HMACSHA256", 128), ("HS384", 192), ("HS512", 256),
    ];

    public static int? Bits(string algorithm, int? keySize)
    {
        var name = new string(algorithm.ToUpperInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        if (name.Contains("RSA", StringComparison.Ordinal) || name.StartsWith("RS", StringComparison.Ordinal) || name.StartsWith("PS", StringComparison.Ordinal))
            return RsaBits(keySize ?? DigitsAfter(name, "RSA"));
        // Longest known name first, so "SHA3256" is not read as "SHA256" and "3DES" not as "DES".
        foreach (var (known, bits) in Known.OrderByDescending(k => k.Name.Length))
            if (name.Contains(known, StringComparison.Ordinal))
                return bits;
        return null;
    }

    private static int? RsaBits(int? modulus) => modulus switch
    {
        null => null,
        < 1024 => 0,
        < 2048 => 80,
        < 3072 => 112,
        < 7680 => 128,
        < 15360 => 192,
        _ => 256,
    };

    private static int? DigitsAfter(string name, string prefix)
    {
        var at = name.IndexOf(prefix, StringComparison.Ordinal);
        var digits = at < 0 ? "" : new string(name[(at + prefix.Length)..].TakeWhile(char.IsAsciiDigit).ToArray());
        return digits.Length is > 0 and < 6 ? int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
