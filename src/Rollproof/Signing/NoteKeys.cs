using System.Globalization;
using System.Security.Cryptography;
using Rollproof.Common;

namespace Rollproof.Signing;

/// <summary>Parses and formats verifier keys (<c>name+hex(id)+base64(type||key)</c>) and signer keys (<c>PRIVATE+KEY+…</c>).</summary>
public static class NoteKeys
{
    private const int MaxKeyStringLength = 8192;

    public static string FormatVerifierKey(string name, uint keyId, NoteSignatureType type, ReadOnlySpan<byte> key)
    {
        var material = new byte[key.Length + 1];
        material[0] = (byte)type;
        key.CopyTo(material.AsSpan(1));
        return $"{name}+{NoteKeyId.Format(keyId)}+{Convert.ToBase64String(material)}";
    }

    /// <summary>Parses a verifier key of type Ed25519 (0x01), ECDSA (0x02) or cosignature v1 (0x04).</summary>
    public static Result<INoteVerifier> ParseVerifierKey(string vkey)
    {
        var parts = Split(vkey, 3, ErrorCodes.VerifierKeyMalformed, "verifier key", out var problem);
        if (problem is not null)
            return problem;
        var (name, keyId, type, key) = (parts.Name, parts.KeyId, parts.Type, parts.Key);
        if (!Enum.IsDefined((NoteSignatureType)type))
            return Result<INoteVerifier>.Fail(ErrorCodes.UnsupportedKeyType, $"verifier key for '{name}': signature type 0x{type:x2} is not supported (Ed25519 0x01, ECDSA 0x02 and cosignature v1 0x04 are)");
        INoteVerifier? verifier = (NoteSignatureType)type switch
        {
            NoteSignatureType.Ed25519 => key.Length == OpenSslEd25519.PublicKeySize ? new Ed25519NoteVerifier(name, key) : null,
            NoteSignatureType.CosignatureV1 => key.Length == OpenSslEd25519.PublicKeySize ? new CosignatureV1Verifier(name, key) : null,
            _ => EcdsaNoteVerifier.FromSubjectPublicKeyInfo(name, key),
        };
        if (verifier is null)
            return Result<INoteVerifier>.Fail(ErrorCodes.VerifierKeyMalformed, $"verifier key for '{name}': the public key of type 0x{type:x2} is malformed ({key.Length} bytes)");
        if (verifier.KeyId != keyId)
            return Result<INoteVerifier>.Fail(ErrorCodes.VerifierKeyMalformed, $"verifier key for '{name}': key ID {NoteKeyId.Format(keyId)} does not match the key (expected {NoteKeyId.Format(verifier.KeyId)})");
        return Result<INoteVerifier>.Ok(verifier);
    }

    /// <summary>Parses an Ed25519 signer key <c>PRIVATE+KEY+name+hex(id)+base64(0x01||seed)</c>, as Go's sumdb/note and Tessera write them.</summary>
    public static Result<INoteSigner> ParseSignerKey(string skey)
    {
        skey = skey.Trim();
        const string prefix = "PRIVATE+KEY+";
        if (!skey.StartsWith(prefix, StringComparison.Ordinal))
            return Result<INoteSigner>.Fail(ErrorCodes.SignerKeyMalformed, "signer key must start with 'PRIVATE+KEY+'");
        var parts = Split(skey[prefix.Length..], 3, ErrorCodes.SignerKeyMalformed, "signer key", out var problem);
        if (problem is not null)
            return problem;
        if (parts.Type is not ((byte)NoteSignatureType.Ed25519 or (byte)NoteSignatureType.CosignatureV1))
            return Result<INoteSigner>.Fail(ErrorCodes.UnsupportedKeyType, $"signer key for '{parts.Name}': signature type 0x{parts.Type:x2} is not supported (Ed25519 0x01 and cosignature v1 0x04 are; use a PEM file for ECDSA)");
        if (parts.Key.Length != OpenSslEd25519.SeedSize)
            return Result<INoteSigner>.Fail(ErrorCodes.SignerKeyMalformed, $"signer key for '{parts.Name}': an Ed25519 private key is {OpenSslEd25519.SeedSize} bytes, got {parts.Key.Length}");
        INoteSigner signer = parts.Type == (byte)NoteSignatureType.Ed25519
            ? new Ed25519NoteSigner(parts.Name, parts.Key)
            : new CosignatureV1Signer(parts.Name, parts.Key, TimeProvider.System);
        CryptographicOperations.ZeroMemory(parts.Key);
        if (signer.KeyId != parts.KeyId)
            return Result<INoteSigner>.Fail(ErrorCodes.SignerKeyMalformed, $"signer key for '{parts.Name}': key ID {NoteKeyId.Format(parts.KeyId)} does not match the key");
        return Result<INoteSigner>.Ok(signer);
    }

    /// <summary>A fresh Ed25519 note signer from the operating system's random number generator.</summary>
    public static Ed25519NoteSigner GenerateEd25519(string name) => FromFreshSeed(name, seed => new Ed25519NoteSigner(name, seed));

    /// <summary>A fresh witness cosigner (tlog-cosignature v1, type 0x04) stamping signatures with <paramref name="clock"/>.</summary>
    public static CosignatureV1Signer GenerateCosigner(string name, TimeProvider clock) => FromFreshSeed(name, seed => new CosignatureV1Signer(name, seed, clock));

    private static T FromFreshSeed<T>(string name, Func<byte[], T> create)
    {
        if (!NoteKeyId.IsValidName(name))
            throw new ArgumentException($"key name '{name}' must be non-empty and contain no spaces or '+'", nameof(name));
        var seed = RandomNumberGenerator.GetBytes(OpenSslEd25519.SeedSize);
        try
        {
            return create(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    private readonly record struct KeyParts(string Name, uint KeyId, byte Type, byte[] Key);

    private static KeyParts Split(string text, int count, string code, string what, out Problem? problem)
    {
        problem = null;
        if (text.Length > MaxKeyStringLength)
        {
            problem = new Problem(code, $"{what} is longer than {MaxKeyStringLength} characters");
            return default;
        }
        var parts = text.Trim().Split('+', count); // base64 may itself contain '+'
        if (parts.Length != count)
        {
            problem = new Problem(code, $"{what} must have {count} parts separated by '+' (name+hex(id)+base64(type||key)), found {parts.Length}");
            return default;
        }
        var name = parts[0];
        if (!NoteKeyId.IsValidName(name))
        {
            problem = new Problem(code, $"{what}: key name '{name}' must be non-empty and contain no spaces");
            return default;
        }
        if (parts[1].Length != 8 || !parts[1].All(char.IsAsciiHexDigitLower) || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var keyId))
        {
            problem = new Problem(code, $"{what} for '{name}': key ID '{parts[1]}' must be 8 lowercase hex digits");
            return default;
        }
        if (!StrictBase64.TryDecode(parts[2], out var material))
        {
            problem = new Problem(code, $"{what} for '{name}': key material is not valid base64");
            return default;
        }
        try
        {
            if (material.Length < 2)
            {
                problem = new Problem(code, $"{what} for '{name}': key material is too short");
                return default;
            }
            return new KeyParts(name, keyId, material[0], material[1..]);
        }
        finally
        {
            // For signer keys this held the private seed; KeyParts has its own copy, which the caller zeroes.
            CryptographicOperations.ZeroMemory(material);
        }
    }
}
