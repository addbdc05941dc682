using System.Net;
using System.Security.Cryptography;
using System.Text;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Server.Tests;

/// <summary>
/// <c>serve --witnesses</c> fails closed, against a real <c>rollproof serve --witness</c> process: with the witness
/// stopped, submissions get 503 with Retry-After and <c>/checkpoint</c> stays; restarted, the next checkpoint is
/// cosigned, covers the entry that waited, and satisfies the tlog-policy.
/// </summary>
public sealed class WitnessQuorumServeTests : IDisposable
{
    private readonly ServedStore _witnessStore = new();
    private readonly ServedStore _logStore = new();
    private readonly CosignatureV1Signer _cosigner = NoteKeys.GenerateCosigner("witness.example/w1", TimeProvider.System);
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _key.Dispose();
        _logStore.Dispose();
        _witnessStore.Dispose();
    }

    [Fact]
    public async Task With_its_witness_stopped_the_log_answers_503_and_publishes_nothing_until_a_cosigned_checkpoint_covers_the_entry()
    {
        var keyFile = _witnessStore.Combine("witness.key");
        await File.WriteAllTextAsync(keyFile, _cosigner.SignerKey);
        string[] witnessArgs = ["--witness", keyFile, "--witness-log", _logStore.Store.Log.Config.VerifierKey];
        ServeProcess? witness = await ServeProcess.StartAsync(_witnessStore.Root, witnessArgs);
        try
        {
            // The policy names one address for the witness across its restart.
            using var proxy = new ServerProxy(witness.Url);
            var policy = TlogPolicy.Parse(Encoding.UTF8.GetBytes($"log {_logStore.Store.Log.Config.VerifierKey}\nwitness w1 {_cosigner.VerifierKey} {proxy.Url}\nquorum w1\n")).Value;
            var options = new ServerOptions(_logStore.Root, ListenAddress.Parse("127.0.0.1:0").Value) { Witnesses = policy, WitnessTimeout = TimeSpan.FromSeconds(5), WitnessRetry = TimeSpan.FromSeconds(1) };
            await using var log = (await RollproofServer.StartAsync(options, TimeProvider.System)).Value;
            using var http = new HttpClient { BaseAddress = log.Address };
            using (var logged = await SubmitAsync(http, RekorProposals.HashedRekord(_key, "while the witness is up"u8.ToArray())))
                Assert.Equal(HttpStatusCode.Created, logged.StatusCode);
            var before = await http.GetByteArrayAsync("checkpoint");
            Assert.True(policy.Evaluate(before).IsOk);

            await witness.DisposeAsync();
            witness = null;
            var waiting = RekorProposals.HashedRekord(_key, "while the witness is down"u8.ToArray());
            using var refused = await SubmitAsync(http, waiting);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            Assert.Contains(ErrorCodes.WitnessQuorumMissing, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(before, await http.GetByteArrayAsync("checkpoint"));
            using (var notReady = await http.GetAsync("readyz"))
                Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);

            var published = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            log.Log.Writer.CheckpointPublished += c => published.TrySetResult(c);
            witness = await ServeProcess.StartAsync(_witnessStore.Root, witnessArgs);
            proxy.Backend = witness.Url;
            await published.Task;

            var after = await http.GetByteArrayAsync("checkpoint");
            var decision = policy.Evaluate(after);
            Assert.True(decision.IsOk, decision.IsOk ? "" : decision.Problem.Message);
            Assert.Equal(policy.Evaluate(before).Value.Checkpoint.Size + 1, decision.Value.Checkpoint.Size);
            // The entry that waited is the one the new checkpoint covers, and the client's retry finds it logged there.
            using var retried = await SubmitAsync(http, waiting);
            Assert.Equal(HttpStatusCode.Conflict, retried.StatusCode);
            using var entry = await http.GetAsync($"api/v1/log/entries?logIndex={decision.Value.Checkpoint.Size - 1}");
            Assert.Equal(HttpStatusCode.OK, entry.StatusCode);
            var entryId = System.Text.Json.Nodes.JsonNode.Parse(await entry.Content.ReadAsStringAsync())!.AsObject().Single().Key;
            Assert.Equal($"/api/v1/log/entries/{entryId}", retried.Headers.Location?.OriginalString);
            using var ready = await http.GetAsync("readyz");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            if (witness is not null)
                await witness.DisposeAsync();
        }
    }

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient http, System.Text.Json.Nodes.JsonObject proposal) =>
        http.PostAsync("api/v1/log/entries", new StringContent(proposal.ToJsonString(), Encoding.UTF8, "application/json"));
}
