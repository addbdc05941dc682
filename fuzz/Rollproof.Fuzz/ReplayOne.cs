namespace Rollproof.Fuzz;

/// <summary>Runs one input (made again from target, seed and iteration, or read from a saved file) and prints what it does.</summary>
internal static class ReplayOne
{
    public static int Run(FuzzTarget target, Arguments options)
    {
        byte[] input;
        if (options.Input is { } file)
        {
            input = File.ReadAllBytes(file);
        }
        else
        {
            input = Campaign.Input(target, options.Seed, options.Replay!.Value);
            Directory.CreateDirectory(options.Out);
            var path = Path.GetFullPath(Path.Combine(options.Out, $"{target.Name}-{options.Seed}-{options.Replay}.bin"));
            File.WriteAllBytes(path, input);
            Console.WriteLine($"input saved to {path} ({input.Length} bytes)");
        }
        var result = Campaign.Run(target with { Seeds = () => [input] }, new CampaignOptions(0, 1, FailureDirectory: options.Out));
        Console.WriteLine(result.Failures.Count == 0
            ? $"{target.Name}: no failure ({result.Slowest.TotalMilliseconds:N1} ms, {result.MaxAllocated:N0} bytes allocated)"
            : string.Join('\n', result.Failures.Select(f => $"{f.Kind}: {f.Detail}")));
        return result.Passed ? 0 : 1;
    }
}
