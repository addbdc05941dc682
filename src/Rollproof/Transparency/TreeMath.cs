using System.Numerics;

namespace Rollproof.Transparency;

/// <summary>Index arithmetic shared by proof generation and verification.</summary>
internal static class TreeMath
{
    /// <summary>The largest power of two strictly less than <paramref name="n"/> (n &gt; 1): RFC 6962's split point k.</summary>
    public static long SplitPoint(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    public static bool IsPowerOfTwo(long n) => n > 0 && (n & (n - 1)) == 0;

    public static int Log2(long powerOfTwo) => BitOperations.TrailingZeroCount(powerOfTwo);
}
