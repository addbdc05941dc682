using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rollproof.Formats;
using Rollproof.Server;
using Rollproof.Signing;

namespace Rollproof.LoadGen;

/// <summary>
/// A bench-only host, never part of the product: the server's <see cref="LogService"/> behind one endpoint,
/// <c>POST /bench/raw-entries</c>, that parses a DSSE envelope, verifies its signature with one known key and appends
/// it with its signed entry timestamp, as the server does. It measures what a submission costs below the trust and
/// access checks (parse, verify, group-committed append), and where the time of each goes (<see cref="StageClock"/>).
/// </summary>
public static class BenchHost
{
    public const string RawEntriesPath = "bench/raw-entries";

    public static async Task<int> RunAsync(string store, string listen, string keyOut, TimeSpan checkpointInterval, bool h2c)
    {
        var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        await File.WriteAllTextAsync(keyOut, key.ToUnencryptedPem());
        var address = ListenAddress.Parse(listen);
        if (!address.IsOk)
            return Fail(address.Problem.Message);
        var log = LogService.Open(new ServerOptions(store, address.Value) { CheckpointInterval = checkpointInterval }, TimeProvider.System);
        if (!log.IsOk)
            return Fail(log.Problem.Message);
        await using var service = log.Value;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // h2c (HTTP/2 without TLS, prior knowledge) lets one connection carry many submissions at once.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address.Value.Address, address.Value.Port,
            listen => listen.Protocols = h2c ? Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2 : Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1));
        await using var app = builder.Build();
        var verifier = new[] { key.PublicKey };
        long appends = 0, checkpoints = 0;
        var stages = new StageClock();
        service.Writer.CheckpointPublished += _ => Interlocked.Increment(ref checkpoints);
        app.MapPost("/" + RawEntriesPath, async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            var started = StageClock.Now;
            var envelope = DsseEnvelope.Parse(body.GetBuffer().AsSpan(0, (int)body.Length));
            var parsed = stages.Add(Stage.Parse, started);
            var verified = envelope.IsOk && envelope.Value.Verify(verifier).IsOk;
            var checkedAt = stages.Add(Stage.Verify, parsed);
            if (!verified)
                return Results.BadRequest();
            Interlocked.Increment(ref appends);
            var appended = await service.Store.Log.AppendAsync(body.ToArray(), TimeProvider.System);
            stages.Add(Stage.AppendWait, checkedAt);
            return appended.IsOk ? Results.Json(new { index = appended.Value.Index, integratedTime = appended.Value.Timestamp.IntegratedTime }) : Results.BadRequest();
        });
        await app.StartAsync();
        Console.WriteLine($"listening on {app.Urls.Single()}");
        var stop = new TaskCompletionSource();
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        await stop.Task;
        await app.StopAsync();
        // How well appends were grouped: each checkpoint costs the writer its fsyncs, whatever it covers.
        Console.WriteLine($"appends: {appends:N0}, checkpoints published: {checkpoints:N0} ({appends / (double)Math.Max(1, checkpoints):0.0} appends each)");
        Console.WriteLine($"per append: {stages}");
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 3;
    }
}
