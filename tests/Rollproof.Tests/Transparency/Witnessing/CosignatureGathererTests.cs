using System.Text;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;
using Rollproof.Transparency.Witnessing;

namespace Rollproof.Tests.Transparency.Witnessing;

/// <summary>The log asks its witnesses over real HTTP on loopback, each served by a real <see cref="Witness"/>.</summary>
public sealed partial class CosignatureGathererTests : IDisposable
{
    private static readonly FixedClock Clock = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
    private readonly TempDirectory _dir = new();
    private readonly WitnessedLog _log = new();
    private readonly CosignatureV1Signer[] _cosigners = [.. new[] { "w1", "w2", "w3" }.Select(n => NoteKeys.GenerateCosigner($"witness.example/{n}", Clock))];
    private readonly List<IDisposable> _disposables = [];
    private readonly HttpClient _http = new();
    private readonly TaskCompletionSource _release = new();

    public void Dispose()
    {
        _release.TrySetResult();
        foreach (var disposable in _disposables)
            disposable.Dispose();
        _http.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Cosignatures_are_gathered_from_every_reachable_witness_and_appended_to_the_same_note()
    {
        var policy = Policy("2", Serve(0, _log), Serve(1, _log), Unreachable());

        var gathered = await new CosignatureGatherer(policy, _http, TimeSpan.FromMinutes(1)).GatherAsync(_log.Checkpoint(10).ToBytes(), _log.ConsistencyProofs);

        Assert.True(gathered.QuorumMet);
        Assert.Equal(["w1", "w2"], gathered.Cosigners);
        var failure = Assert.Single(gathered.Failures);
        Assert.Equal(ErrorCodes.WitnessUnavailable, failure.Code);
        Assert.Contains("'w3'", failure.Message, StringComparison.Ordinal);
        Assert.True(policy.Evaluate(gathered.Note).IsOk);
        // Any tlog-tiles client with only the log's key still reads it: the cosignatures are extra signature lines.
        var plain = Checkpoint.Open(gathered.Note, _log.Key);
        Assert.Equal(_log.Tree(10).ToText(), plain.Value.Checkpoint.ToText());
        Assert.Equal(_log.Checkpoint(10).Text, plain.Value.Note.Text);
        Assert.Equal(3, plain.Value.Note.Signatures.Count);
    }

    [Fact]
    public async Task Later_checkpoints_are_cosigned_with_consistency_proofs_and_a_restarted_log_learns_each_witness_size_from_409()
    {
        var policy = Policy("all", Serve(0, _log), Serve(1, _log));
        var gatherer = new CosignatureGatherer(policy, _http, TimeSpan.FromMinutes(1));
        Assert.True((await gatherer.GatherAsync(_log.Checkpoint(10).ToBytes(), _log.ConsistencyProofs)).QuorumMet);
        Assert.True((await gatherer.GatherAsync(_log.Checkpoint(33).ToBytes(), _log.ConsistencyProofs)).QuorumMet);

        var restarted = new CosignatureGatherer(policy, _http, TimeSpan.FromMinutes(1));
        var gathered = await restarted.GatherAsync(_log.Checkpoint(64).ToBytes(), _log.ConsistencyProofs);

        Assert.True(gathered.QuorumMet, string.Join("; ", gathered.Failures));
        Assert.Equal(["w1", "w2"], gathered.Cosigners);
    }

    [Fact]
    public async Task Without_the_quorum_the_checkpoint_says_so_and_names_who_cosigned_and_why_the_others_did_not()
    {
        var policy = Policy("all", Serve(0, _log), Unreachable(), Serve(2, _log));

        var gathered = await new CosignatureGatherer(policy, _http, TimeSpan.FromMinutes(1)).GatherAsync(_log.Checkpoint(10).ToBytes(), _log.ConsistencyProofs);

        Assert.False(gathered.QuorumMet);
        Assert.Equal(["w1", "w3"], gathered.Cosigners);
        Assert.Contains(gathered.Failures, f => f.Code == ErrorCodes.QuorumNotMet && f.Message.Contains("cosigned by w1, w3", StringComparison.Ordinal));
        Assert.Equal(ErrorCodes.QuorumNotMet, policy.Evaluate(gathered.Note).Problem?.Code);
    }

    [Fact]
    public async Task A_witness_answering_with_another_keys_cosignature_is_not_counted()
    {
        var impostor = NoteKeys.GenerateCosigner("witness.example/w1", Clock);
        var policy = Policy("any", Serve(new Witness([_log.Key], impostor, new WitnessMemory())));

        var gathered = await new CosignatureGatherer(policy, _http, TimeSpan.FromMinutes(1)).GatherAsync(_log.Checkpoint(10).ToBytes(), _log.ConsistencyProofs);

        Assert.False(gathered.QuorumMet);
        Assert.Empty(gathered.Cosigners);
        Assert.Contains(gathered.Failures, f => f.Code == ErrorCodes.WitnessUnavailable && f.Message.Contains("no valid cosignature", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_witness_that_never_answers_is_given_up_on_at_the_timeout()
    {
        var silent = new LoopbackHttp(_ => _release.Task);
        _disposables.Add(silent);
        var policy = Policy("any", $"http://127.0.0.1:{silent.Port}");

        var gathered = await new CosignatureGatherer(policy, _http, TimeSpan.FromMilliseconds(200)).GatherAsync(_log.Checkpoint(10).ToBytes(), _log.ConsistencyProofs);

        Assert.False(gathered.QuorumMet);
        Assert.Contains(gathered.Failures, f => f.Message.Contains("'w1': no answer in time", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_log_writer_publishes_each_checkpoint_with_the_cosignatures_gathered_before_publishing_it()
    {
        var signer = NoteKeys.GenerateEd25519("log.example/served");
        var key = NoteKeys.ParseVerifierKey(signer.VerifierKey).Value;
        var storage = new FileSystemLogStorage(_dir.Combine("log"));
        LogWriter.Create(storage, signer);
        var policy = TlogPolicy.Parse(Encoding.UTF8.GetBytes($"log {signer.VerifierKey}\nwitness w1 {_cosigners[0].VerifierKey} {Serve(new Witness([key], _cosigners[0], new WitnessMemory()))}\nquorum w1\n")).Value;
        var outcomes = new List<GatheredCheckpoint>();
        var options = new LogWriterOptions { Cosign = new CosignatureGatherer(policy, _http, TimeSpan.FromMinutes(1)).Hook(storage, outcomes.Add) };

        await using (var writer = LogWriter.Open(storage, signer, options: options).Value)
        {
            await writer.AppendAsync(TestLogs.Entry(1));
            await Task.WhenAll(Enumerable.Range(2, 300).Select(i => writer.AppendAsync(TestLogs.Entry(i))));
            Assert.True(policy.Evaluate(writer.LatestCheckpoint).IsOk);
        }

        Assert.All(outcomes, o => Assert.True(o.QuorumMet, string.Join("; ", o.Failures)));
        Assert.True(outcomes.Count >= 2);
        var published = storage.Read(TilePath.Checkpoint)!;
        Assert.Equal(301, policy.Evaluate(published).Value.Checkpoint.Size);
        await using var reopened = LogWriter.Open(storage, signer).Value;
        Assert.Equal(301, reopened.Size);
    }

    [Fact]
    public async Task A_crash_right_after_the_witness_cosigned_never_leaves_it_holding_a_tree_the_log_then_signs_differently()
    {
        var signer = NoteKeys.GenerateEd25519("log.example/crashing");
        var storage = new FileSystemLogStorage(_dir.Combine("log"));
        LogWriter.Create(storage, signer);
        var policy = TlogPolicy.Parse(Encoding.UTF8.GetBytes($"log {signer.VerifierKey}\nwitness w1 {_cosigners[0].VerifierKey} {Serve(new Witness([NoteKeys.ParseVerifierKey(signer.VerifierKey).Value], _cosigners[0], new WitnessMemory()))}\nquorum w1\n")).Value;
        var cosign = new CosignatureGatherer(policy, _http, TimeSpan.FromMinutes(1)).Hook(storage);
        var dying = new LogWriterOptions { Cosign = async checkpoint => { await cosign(checkpoint); throw new IOException("power lost once the witness had cosigned"); } };
        await using (var writer = LogWriter.Open(storage, signer, options: dying).Value)
            await Assert.ThrowsAsync<IOException>(() => writer.AppendAsync(TestLogs.Entry(1)));

        // Restarted, the log takes other entries: what the witness cosigned must still be the log's history.
        var outcomes = new List<GatheredCheckpoint>();
        var restarted = new LogWriterOptions { Cosign = new CosignatureGatherer(policy, _http, TimeSpan.FromMinutes(1)).Hook(storage, outcomes.Add) };
        await using (var writer = LogWriter.Open(storage, signer, options: restarted).Value)
            await writer.AppendAsync(TestLogs.Entry(2));

        var gathered = Assert.Single(outcomes);
        Assert.True(gathered.QuorumMet, string.Join("; ", gathered.Failures));
    }

    private TlogPolicy Policy(string threshold, params string[] urls)
    {
        var text = new StringBuilder($"log {_log.Signer.VerifierKey}\n");
        for (var i = 0; i < urls.Length; i++)
            text.Append($"witness w{i + 1} {_cosigners[i].VerifierKey} {urls[i]}\n");
        text.Append($"group witnesses {threshold} {string.Join(' ', Enumerable.Range(1, urls.Length).Select(i => $"w{i}"))}\nquorum witnesses\n");
        return TlogPolicy.Parse(Encoding.UTF8.GetBytes(text.ToString())).Value;
    }

    private string Serve(int witness, WitnessedLog log) => Serve(new Witness([log.Key], _cosigners[witness], new WitnessMemory()));

    // The submission prefix has a path, as a witness behind a shared host would.
    private string Serve(Witness witness)
    {
        var server = new LoopbackHttp(async call =>
        {
            if (_witnessesDown)
            {
                call.Response.StatusCode = 503;
                return;
            }
            using var body = new MemoryStream();
            await call.Request.InputStream.CopyToAsync(body);
            var outcome = call.Request is { HttpMethod: "POST", Url.AbsolutePath: "/prefix/add-checkpoint" }
                ? witness.AddCheckpoint(body.ToArray())
                : WitnessOutcome.Refused(WitnessStatus.UnknownLog, new Problem("test", $"no route {call.Request.Url?.AbsolutePath}"));
            call.Response.StatusCode = (int)outcome.Status;
            call.Response.ContentType = outcome.ContentType;
            await call.Response.OutputStream.WriteAsync(outcome.Body);
        });
        _disposables.Add(server);
        return $"http://127.0.0.1:{server.Port}/prefix/";
    }

    private static string Unreachable() => $"http://127.0.0.1:{LoopbackHttp.FreePort()}";
}

/// <summary>A witness's state in memory, for tests that are not about durability.</summary>
internal sealed class WitnessMemory : IWitnessState
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _records = new();

    public Result<byte[]?> Read(string origin) => Result<byte[]?>.Ok(_records.GetValueOrDefault(origin));

    public void Record(string origin, byte[] cosignedCheckpoint) => _records[origin] = cosignedCheckpoint;
}
