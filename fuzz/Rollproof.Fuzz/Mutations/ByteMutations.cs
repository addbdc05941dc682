namespace Rollproof.Fuzz.Mutations;

/// <summary>Mutations that know nothing of the format: bit flips, interesting bytes, cuts, copies, splices, repeats.</summary>
internal static class ByteMutations
{
    /// <param name="maxRepeat">How many times a chunk may be repeated.</param>
    public static byte[] Mutate(byte[] input, Random random, IReadOnlyList<byte[]> corpus, int maxRepeat)
    {
        if (input.Length == 0)
            return Insert(input, 0, Interesting.Pick(random, Interesting.Unicode));
        var at = random.Next(input.Length + 1);
        return random.Next(11) switch
        {
            0 => FlipBit(input, random),
            1 => SetByte(input, random),
            2 => input[..at],
            3 => Delete(input, random),
            4 => Insert(input, at, Slice(input, random)),
            5 => Insert(input, at, Interesting.NumberBytes(random)),
            6 => Insert(input, at, Interesting.Pick(random, Interesting.Unicode)),
            7 => Splice(input, Interesting.Pick(random, corpus), random),
            8 => Insert(input, at, Repeat(Slice(input, random, maxLength: 16), 2 + random.Next(maxRepeat))),
            9 => Overwrite(input, random),
            _ => Insert(input, at, [(byte)random.Next(256)]),
        };
    }

    private static byte[] FlipBit(byte[] input, Random random)
    {
        var output = (byte[])input.Clone();
        output[random.Next(output.Length)] ^= (byte)(1 << random.Next(8));
        return output;
    }

    private static byte[] SetByte(byte[] input, Random random)
    {
        var output = (byte[])input.Clone();
        output[random.Next(output.Length)] = Interesting.Pick(random, Interesting.Bytes);
        return output;
    }

    private static byte[] Delete(byte[] input, Random random)
    {
        var start = random.Next(input.Length);
        var length = 1 + random.Next(Math.Min(64, input.Length - start));
        return [.. input.AsSpan(0, start), .. input.AsSpan(start + length)];
    }

    private static byte[] Overwrite(byte[] input, Random random)
    {
        var output = (byte[])input.Clone();
        var chunk = Slice(input, random);
        chunk.CopyTo(output, random.Next(output.Length - chunk.Length + 1));
        return output;
    }

    private static byte[] Splice(byte[] input, byte[] other, Random random)
    {
        var head = random.Next(input.Length + 1);
        var tail = random.Next(other.Length + 1);
        return [.. input.AsSpan(0, head), .. other.AsSpan(tail)];
    }

    public static byte[] Slice(byte[] input, Random random, int maxLength = 256)
    {
        if (input.Length == 0)
            return [];
        var start = random.Next(input.Length);
        return input[start..(start + 1 + random.Next(Math.Min(maxLength, input.Length - start)))];
    }

    public static byte[] Insert(byte[] input, int at, ReadOnlySpan<byte> chunk) => [.. input.AsSpan(0, at), .. chunk, .. input.AsSpan(at)];

    public static byte[] Repeat(byte[] chunk, int times)
    {
        var output = new byte[chunk.Length * times];
        for (var i = 0; i < times; i++)
            chunk.CopyTo(output, i * chunk.Length);
        return output;
    }
}
