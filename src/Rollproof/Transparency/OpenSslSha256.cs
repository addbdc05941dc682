using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>
/// SHA-256 of short inputs through libcrypto's low-level <c>SHA256_Init/Update/Final</c>, the same library and the same
/// SHA-NI code that .NET's <see cref="SHA256"/> ends in on Linux, without the EVP layer: for the 65-byte inputs of
/// Merkle nodes that layer costs several times the hashing itself, and it is what kept proof verification behind Go.
/// Absent (an OpenSSL without those exports, or one whose answer differs from .NET's), <see cref="IsAvailable"/> is
/// false and callers use .NET's own hashing.
/// </summary>
internal static unsafe class OpenSslSha256
{
    /// <summary>Inputs up to this size are hashed in one call that the runtime does not leave for the GC: short by design.</summary>
    public const int MaxInputSize = 1024;

    // sizeof(SHA256_CTX) is 112 bytes in OpenSSL 1.1 and 3.x; the context lives on the caller's stack, with room to spare.
    private const int ContextSize = 256;

    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, int> s_init;
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, nuint, int> s_update;
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, int> s_final;

    static OpenSslSha256()
    {
        foreach (var candidate in LibCrypto.FileNames)
        {
            if (NativeLibrary.TryLoad(candidate, out var library)
                && NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
                && NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
                && NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
            {
                s_init = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, int>)init;
                s_update = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, nuint, int>)update;
                s_final = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, int>)final;
                IsAvailable = AgreesWithDotNet();
                return;
            }
        }
    }

    public static bool IsAvailable { get; }

    /// <summary>Hashes <paramref name="data"/> (at most <see cref="MaxInputSize"/> bytes) into the first 32 bytes of <paramref name="destination"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (data.Length > MaxInputSize || destination.Length < SHA256.HashSizeInBytes)
            throw new ArgumentException($"input over {MaxInputSize} bytes or destination under {SHA256.HashSizeInBytes} bytes");
        var context = stackalloc byte[ContextSize];
        fixed (byte* input = data)
        fixed (byte* output = destination)
        {
            if (s_init(context) != 1 || s_update(context, input, (nuint)data.Length) != 1 || s_final(output, context) != 1)
                throw new CryptographicException("libcrypto SHA256_Init/Update/Final failed");
        }
    }

    /// <summary>A library that loaded but hashes differently from .NET's SHA-256 (all lengths up to two blocks and more) is not used.</summary>
    private static bool AgreesWithDotNet()
    {
        try
        {
            return HashesAgree();
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool HashesAgree()
    {
        Span<byte> input = stackalloc byte[200];
        Span<byte> ours = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> theirs = stackalloc byte[SHA256.HashSizeInBytes];
        for (var i = 0; i < input.Length; i++)
            input[i] = (byte)(i * 7);
        for (var length = 0; length <= input.Length; length++)
        {
            Hash(input[..length], ours);
            SHA256.HashData(input[..length], theirs);
            if (!ours.SequenceEqual(theirs))
                return false;
        }
        return true;
    }
}
