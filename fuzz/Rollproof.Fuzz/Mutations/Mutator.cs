namespace Rollproof.Fuzz.Mutations;

/// <summary>
/// Makes input number <c>iteration</c> of a run from the seeds alone, so that (target, seed, iteration) names one input
/// for ever: the first inputs are the seeds themselves, every later one is a seed put through one to four mutations
/// drawn from a generator seeded with (seed, iteration).
/// </summary>
public sealed class Mutator(IReadOnlyList<byte[]> corpus, InputShape shape)
{
    /// <summary>Larger mutants are dropped (the parsers' own size limits are tested at their edges by the unit tests).</summary>
    public const int MaxInputSize = 4 << 20;

    public byte[] Input(int seed, long iteration)
    {
        if (iteration < corpus.Count)
            return corpus[(int)iteration];
        var random = new Random(Mix(seed, iteration));
        var input = corpus[random.Next(corpus.Count)];
        for (var rounds = 1 + random.Next(4); rounds > 0; rounds--)
        {
            var mutated = Once(input, random);
            if (mutated.Length <= MaxInputSize)
                input = mutated;
        }
        return input;
    }

    private byte[] Once(byte[] input, Random random)
    {
        var structured = random.Next(3) != 0;
        return shape switch
        {
            InputShape.Json when structured => JsonMutations.Mutate(input, random, corpus),
            InputShape.Lines when structured => LineMutations.Mutate(input, random, corpus, yaml: false),
            InputShape.Yaml when structured => LineMutations.Mutate(input, random, corpus, yaml: true),
            InputShape.Zip when structured => ZipMutations.Mutate(input, random, corpus),
            _ => null,
        } ?? ByteMutations.Mutate(input, random, corpus, maxRepeat: 4096);
    }

    // SplitMix64 finaliser: neighbouring iterations get unrelated generators, the same pair always the same one.
    private static int Mix(int seed, long iteration)
    {
        var z = ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) + (ulong)iteration;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }
}
