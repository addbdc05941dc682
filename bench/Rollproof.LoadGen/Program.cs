using System.Globalization;
using Rollproof.LoadGen;
using Rollproof.Signing;

// dotnet run -c Release --project bench/Rollproof.LoadGen -- <tiles|submit|host> [options]; scripts/bench-server.sh runs them.
var command = args.FirstOrDefault();
string? Value(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
IEnumerable<string> Values(string name) => args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length).Select(p => args[p.i + 1]);
var clients = int.Parse(Value("--clients") ?? "64", CultureInfo.InvariantCulture);
var seconds = double.Parse(Value("--seconds") ?? "10", CultureInfo.InvariantCulture);
var streams = int.Parse(Value("--streams") ?? "1", CultureInfo.InvariantCulture);
var url = Value("--url") is { } given ? new Uri(given.EndsWith('/') ? given : given + "/") : null;

switch (command)
{
    case "tiles" when url is not null:
    {
        string[] paths = [.. Values("--path")];
        var http = LoadClient.Create(url, clients, http2: streams > 1);
        var report = await TileLoad.RunAsync(http, new LoadRun(clients, TimeSpan.FromSeconds(seconds), streams), paths.Length > 0 ? paths : TileLoad.DefaultPaths);
        Console.WriteLine($"tile reads: {report}");
        return report.Errors == 0 ? 0 : 1;
    }
    case "submit" when url is not null:
    {
        byte[][] envelopes;
        if (Value("--envelopes") is { } dir)
            envelopes = SignedEnvelopes.Read(dir);
        else
        {
            using var key = PrivateKey.FromPem(File.ReadAllText(Value("--key") ?? throw new ArgumentException("submit needs --envelopes DIR or --key KEY.pem")), []).Value;
            var signing = System.Diagnostics.Stopwatch.StartNew();
            envelopes = SignedEnvelopes.Generate(key, int.Parse(Value("--generate") ?? "200000", CultureInfo.InvariantCulture), int.Parse(Value("--size") ?? "1024", CultureInfo.InvariantCulture), Value("--deploy") is { } deployed ? BenchRelease.Parse(deployed) : null);
            Console.Error.WriteLine($"signed {envelopes.Length:N0} envelopes in {signing.Elapsed.TotalSeconds:0.0} s, before the clock starts");
        }
        // The token as 'rollproof server token add' printed it: its last word.
        var token = Value("--token-file") is { } tokenFile ? File.ReadAllText(tokenFile).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)[^1] : null;
        var http = LoadClient.Create(url, clients, http2: streams > 1);
        var report = await SubmitLoad.RunAsync(http, new LoadRun(clients, TimeSpan.FromSeconds(seconds), streams), Value("--endpoint") ?? SubmitLoad.DefaultEndpoint, envelopes, token);
        Console.WriteLine($"submissions ({envelopes.Length:N0} envelopes of {envelopes.Average(e => e.Length):N0} B on average): {report}");
        return report.Errors == 0 ? 0 : 1;
    }
    case "host" when Value("--store") is { } store:
        return await BenchHost.RunAsync(store, Value("--listen") ?? "127.0.0.1:0", Value("--key-out") ?? "bench-host.key",
            TimeSpan.FromMilliseconds(double.Parse(Value("--checkpoint-interval-ms") ?? "0", CultureInfo.InvariantCulture)), h2c: args.Contains("--h2c"));
    case "actor" when Value("--out") is { } keyOut:
    {
        // The submitting actor's key pair (KEY.pem and KEY.pub), for 'trust init --key NAME=KEY.pub:KINDS'.
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        File.WriteAllText(keyOut + ".pem", key.ToUnencryptedPem());
        File.WriteAllText(keyOut + ".pub", key.PublicKey.ToPem());
        return 0;
    }
    default:
        Console.Error.WriteLine("""
            usage: Rollproof.LoadGen tiles  --url URL [--clients 64] [--streams 1] [--seconds 10] [--path tile/0/000]...
                   Rollproof.LoadGen submit --url URL [--clients 64] [--streams 1] [--seconds 10] [--endpoint PATH] [--token-file F]
                                            (--envelopes DIR | --key KEY.pem [--generate 200000] [--size 1024] [--deploy APP@VERSION=LOGINDEX:sha256:HEX])
                   Rollproof.LoadGen host   --store DIR [--listen 127.0.0.1:0] [--key-out KEY.pem] [--checkpoint-interval-ms 0] [--h2c]
                   Rollproof.LoadGen actor  --out KEY       (writes KEY.pem and KEY.pub)
                   --streams K > 1: K requests in flight on each client's connection, over HTTP/2 without TLS (the server must speak h2c)
            """);
        return 2;
}
