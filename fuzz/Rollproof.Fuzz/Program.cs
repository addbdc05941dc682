using System.Globalization;
using Rollproof.Fuzz;
using Rollproof.Fuzz.Targets;

// rollproof-fuzz: --target NAME[,NAME…]|all  --inputs N  --seed S  [--start I]  [--max-seconds T]  [--out DIR]  [--trace FILE]
//                 --target NAME --seed S --replay I     (make input I again, save it, run it once, print what happens)
//                 --target NAME --input FILE            (run one saved input)
//                 --list
var options = Arguments.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: --target NAME[,NAME…]|all --inputs N [--seed S] [--start I] [--max-seconds T] [--out DIR] [--trace FILE] | --target NAME --seed S --replay I | --target NAME --input FILE | --list");
    return 2;
}
if (options.List)
{
    foreach (var target in Catalogue.All)
        Console.WriteLine($"{target.Name,-20} {target.Parser}");
    return 0;
}
var targets = options.Targets == "all" ? Catalogue.All : options.Targets.Split(',').Select(n => Catalogue.Named(n) ?? throw new ArgumentException($"no target '{n}' (--list shows them)")).ToList();
if (options.Replay is { } iteration || options.Input is not null)
    return ReplayOne.Run(targets.Single(), options);

Console.WriteLine($"fuzzing {targets.Count} target(s), {options.Inputs:N0} inputs each, seed {options.Seed}, on {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
var results = new List<CampaignResult>();
foreach (var target in targets)
{
    var result = Campaign.Run(target, new CampaignOptions(options.Seed, options.Inputs, options.Start, options.Out, options.Trace, options.MaxSeconds is { } t ? TimeSpan.FromSeconds(t) : null), Console.WriteLine);
    foreach (var failure in result.Failures)
        Console.WriteLine(failure);
    Console.WriteLine($"{target.Name}: {result.Inputs:N0} inputs in {result.Elapsed.TotalSeconds:N0} s, {(result.Passed ? "no failure" : "FAILED")}");
    results.Add(result);
}
Console.WriteLine();
Console.WriteLine(SummaryTable.Render(results, options.Start));
return results.All(r => r.Passed && r.Inputs == options.Inputs) ? 0 : 1;

internal sealed record Arguments(string Targets, long Inputs, int Seed, long Start, long? MaxSeconds, string Out, string? Trace, long? Replay, string? Input, bool List)
{
    public static Arguments? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--list")
                values["--list"] = "";
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
                values[args[i]] = args[++i];
            else
                return null;
        }
        if (values.Keys.Except(["--list", "--target", "--inputs", "--seed", "--start", "--max-seconds", "--out", "--trace", "--replay", "--input"]).Any())
            return null;
        long? Number(string key) => values.TryGetValue(key, out var text) ? long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1 : null;
        var inputs = Number("--inputs") ?? 10_000;
        var seed = Number("--seed") ?? 1;
        var start = Number("--start") ?? 0;
        var replay = Number("--replay");
        var maxSeconds = Number("--max-seconds");
        if (maxSeconds < 1 || inputs < 0 || seed is < 0 or > int.MaxValue || start < 0 || replay < 0 || (!values.ContainsKey("--target") && !values.ContainsKey("--list")))
            return null;
        return new Arguments(values.GetValueOrDefault("--target", "all"), inputs, (int)seed, start, maxSeconds, values.GetValueOrDefault("--out", "fuzz-failures"),
            values.GetValueOrDefault("--trace"), replay, values.GetValueOrDefault("--input"), values.ContainsKey("--list"));
    }
}
