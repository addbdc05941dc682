using System.Runtime.InteropServices;

namespace Rollproof.Transparency;

/// <summary>A leaf hash as a value type, for dictionaries that must not allocate a key per entry.</summary>
internal readonly record struct LeafHashKey(ulong A, ulong B, ulong C, ulong D)
{
    public static LeafHashKey Of(ReadOnlySpan<byte> hash)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(hash);
        return new LeafHashKey(words[0], words[1], words[2], words[3]);
    }
}
