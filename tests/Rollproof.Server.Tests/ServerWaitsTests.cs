using System.Net;
using Rollproof.Signing;
using System.Text;
using Rollproof.Common;
using Rollproof.Storage.Remote;
using Rollproof.Testing;

namespace Rollproof.Server.Tests;

/// <summary>
/// The CLI's <c>--server</c> client brings a submission again when the server asks it to wait (<see cref="ServerWaits"/>):
/// through a real log server whose only witness is down, then up again; and, against a real endpoint that never stops
/// answering 503, only a bounded number of times.
/// </summary>
public sealed class ServerWaitsTests
{
    [Fact]
    public async Task A_submission_withheld_for_want_of_witnesses_is_sent_again_and_logged_once_when_they_are_back()
    {
        using var team = new RemoteTeam();
        using var witnessStore = new ServedStore();
        var cosigner = NoteKeys.GenerateCosigner("witness.example/w1", TimeProvider.System);
        var keyFile = witnessStore.Combine("witness.key");
        await File.WriteAllTextAsync(keyFile, cosigner.SignerKey);
        string[] witnessArgs = ["--witness", keyFile, "--witness-log", team.LogKey];
        ServeProcess? witness = await ServeProcess.StartAsync(witnessStore.Root, witnessArgs);
        try
        {
            using var proxy = new ServerProxy(witness.Url);
            var policy = team.Dir.Combine("tlog-policy");
            await File.WriteAllTextAsync(policy, $"log {team.LogKey}\nwitness w1 {cosigner.VerifierKey} {proxy.Url}\nquorum w1\n");
            await using var log = await ServeProcess.StartAsync(team.Store, [.. team.ServeOptions, "--witnesses", policy]);
            var before = await RemoteTeam.LogSizeAsync(log.Http);
            await witness.DisposeAsync();
            witness = null;

            var publishing = Task.Run(() => team.Remote([.. team.Publish("1.0"), .. team.Server(log.Url)]));
            // Not ready once the server withholds the checkpoint that covers the submitted entry, and so answers it 503.
            while (await ReadyAsync(log.Http))
                await Task.Delay(100);
            witness = await ServeProcess.StartAsync(witnessStore.Root, witnessArgs);
            proxy.Backend = witness.Url;
            var published = await publishing;

            Assert.True(published.ExitCode == 0, published.Error);
            Assert.Contains("the server withholds its checkpoint until its witnesses cosign: submitting again in 5 s", published.Error, StringComparison.Ordinal);
            Assert.Equal(before + 1, await RemoteTeam.LogSizeAsync(log.Http));
        }
        finally
        {
            if (witness is not null)
                await witness.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_server_that_keeps_asking_to_wait_is_given_up_on_after_a_bounded_number_of_tries()
    {
        var bodies = new List<string>();
        using var endpoint = new LoopbackHttp(async call =>
        {
            using (var reader = new StreamReader(call.Request.InputStream))
                bodies.Add(await reader.ReadToEndAsync());
            call.Response.StatusCode = (int)HttpStatusCode.ServiceUnavailable;
            call.Response.Headers["Retry-After"] = "0";
            call.Response.ContentType = "application/problem+json";
            await call.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes($$"""{"code":"{{ErrorCodes.WitnessQuorumMissing}}","detail":"the checkpoint is withheld"}"""));
        });
        var client = new ServerClient(new Uri($"http://127.0.0.1:{endpoint.Port}/"));
        var notices = new StringWriter();
        ServerWaits.Notices = notices;

        var answer = await client.SubmitAsync(() => new HttpRequestMessage(HttpMethod.Post, client.Api("entries")) { Content = new StringContent("the same envelope") });

        Assert.False(answer.IsOk);
        Assert.Equal(ErrorCodes.WitnessQuorumMissing, answer.Problem.Code);
        Assert.Equal(Enumerable.Repeat("the same envelope", ServerWaits.MaxTries), bodies);
        Assert.Equal(ServerWaits.MaxTries - 1, notices.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static async Task<bool> ReadyAsync(HttpClient http)
    {
        using var ready = await http.GetAsync("readyz");
        return ready.IsSuccessStatusCode;
    }
}
