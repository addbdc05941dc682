using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Rollproof.Common;

namespace Rollproof.Signing;

/// <summary>
/// Ed25519 (RFC 8032) through OpenSSL's libcrypto, the library .NET itself uses on Linux: the base class library has
/// no Ed25519, and a second crypto library would be one more thing to trust and patch.
/// </summary>
internal static partial class OpenSslEd25519
{
    public const int SeedSize = 32;
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;

    private const string Lib = "libcrypto";
    private const int EvpPkeyEd25519 = 1087; // NID_ED25519

    static OpenSslEd25519()
    {
        NativeLibrary.SetDllImportResolver(typeof(OpenSslEd25519).Assembly, (name, assembly, path) =>
        {
            if (name != Lib)
                return IntPtr.Zero;
            foreach (var candidate in LibCrypto.FileNames)
            {
                if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle))
                    return handle;
            }
            return IntPtr.Zero;
        });
    }

    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> seed)
    {
        using var key = PrivateKey(seed);
        var pub = new byte[PublicKeySize];
        nuint length = PublicKeySize;
        Check(EVP_PKEY_get_raw_public_key(key, pub, ref length) == 1 && length == PublicKeySize, "EVP_PKEY_get_raw_public_key");
        return pub;
    }

    public static byte[] Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message)
    {
        using var key = PrivateKey(seed);
        var ctx = EVP_MD_CTX_new();
        Check(ctx != IntPtr.Zero, "EVP_MD_CTX_new");
        try
        {
            Check(EVP_DigestSignInit(ctx, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, key) == 1, "EVP_DigestSignInit");
            var signature = new byte[SignatureSize];
            nuint length = SignatureSize;
            Check(EVP_DigestSign(ctx, signature, ref length, message, (nuint)message.Length) == 1 && length == SignatureSize, "EVP_DigestSign");
            return signature;
        }
        finally
        {
            EVP_MD_CTX_free(ctx);
        }
    }

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
            return false;
        using var key = new EvpPkeyHandle(EVP_PKEY_new_raw_public_key(EvpPkeyEd25519, IntPtr.Zero, publicKey, PublicKeySize));
        if (key.IsInvalid)
            return false;
        var ctx = EVP_MD_CTX_new();
        Check(ctx != IntPtr.Zero, "EVP_MD_CTX_new");
        try
        {
            if (EVP_DigestVerifyInit(ctx, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, key) != 1)
                return false;
            return EVP_DigestVerify(ctx, signature, (nuint)signature.Length, message, (nuint)message.Length) == 1;
        }
        finally
        {
            EVP_MD_CTX_free(ctx);
            ERR_clear_error();
        }
    }

    private static EvpPkeyHandle PrivateKey(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
            throw new CryptographicException($"an Ed25519 private key is a {SeedSize}-byte seed, got {seed.Length} bytes");
        var key = new EvpPkeyHandle(EVP_PKEY_new_raw_private_key(EvpPkeyEd25519, IntPtr.Zero, seed, SeedSize));
        Check(!key.IsInvalid, "EVP_PKEY_new_raw_private_key");
        return key;
    }

    private static void Check(bool ok, string function)
    {
        if (!ok)
        {
            var error = ERR_get_error();
            ERR_clear_error();
            throw new CryptographicException($"OpenSSL {function} failed (error 0x{error:x})");
        }
    }

    private sealed class EvpPkeyHandle : SafeHandle
    {
        public EvpPkeyHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            EVP_PKEY_free(handle);
            return true;
        }
    }

    [LibraryImport(Lib)]
    private static partial IntPtr EVP_PKEY_new_raw_private_key(int type, IntPtr engine, ReadOnlySpan<byte> key, nuint keyLength);

    [LibraryImport(Lib)]
    private static partial IntPtr EVP_PKEY_new_raw_public_key(int type, IntPtr engine, ReadOnlySpan<byte> key, nuint keyLength);

    [LibraryImport(Lib)]
    private static partial int EVP_PKEY_get_raw_public_key(EvpPkeyHandle key, Span<byte> pub, ref nuint length);

    [LibraryImport(Lib)]
    private static partial void EVP_PKEY_free(IntPtr key);

    [LibraryImport(Lib)]
    private static partial IntPtr EVP_MD_CTX_new();

    [LibraryImport(Lib)]
    private static partial void EVP_MD_CTX_free(IntPtr ctx);

    [LibraryImport(Lib)]
    private static partial int EVP_DigestSignInit(IntPtr ctx, IntPtr pctx, IntPtr md, IntPtr engine, EvpPkeyHandle key);

    [LibraryImport(Lib)]
    private static partial int EVP_DigestSign(IntPtr ctx, Span<byte> signature, ref nuint signatureLength, ReadOnlySpan<byte> message, nuint messageLength);

    [LibraryImport(Lib)]
    private static partial int EVP_DigestVerifyInit(IntPtr ctx, IntPtr pctx, IntPtr md, IntPtr engine, EvpPkeyHandle key);

    [LibraryImport(Lib)]
    private static partial int EVP_DigestVerify(IntPtr ctx, ReadOnlySpan<byte> signature, nuint signatureLength, ReadOnlySpan<byte> message, nuint messageLength);

    [LibraryImport(Lib)]
    private static partial ulong ERR_get_error();

    [LibraryImport(Lib)]
    private static partial void ERR_clear_error();
}
