using System.Net;
using System.Text;
using Rollproof.Cli;
using Rollproof.Cli.Infrastructure;
using Rollproof.Server.Witnessing;
using Rollproof.Signing;
using Rollproof.Transparency;
using Rollproof.Transparency.Witnessing;

namespace Rollproof.Server.Tests;

/// <summary>
/// One Rollproof server cosigns another's checkpoints: a <c>rollproof serve --witness</c> process answers C2SP
/// tlog-witness over HTTP, and a log server started with its policy publishes checkpoints carrying its cosignature.
/// </summary>
public sealed class WitnessServeTests : IAsyncLifetime, IDisposable
{
    private readonly ServedStore _witnessStore = new();
    private readonly ServedStore _logStore = new();
    private readonly CosignatureV1Signer _cosigner = NoteKeys.GenerateCosigner("witness.example/w1", TimeProvider.System);
    private readonly Ed25519NoteSigner _direct = NoteKeys.GenerateEd25519("log.example/direct");
    private ServeProcess _witness = null!;

    public async Task InitializeAsync()
    {
        var keyFile = _witnessStore.Combine("witness.key");
        await File.WriteAllTextAsync(keyFile, _cosigner.SignerKey);
        _witness = await ServeProcess.StartAsync(_witnessStore.Root, "--witness", keyFile, "--witness-log", _logStore.Store.Log.Config.VerifierKey, "--witness-log", _direct.VerifierKey);
    }

    public async Task DisposeAsync() => await _witness.DisposeAsync();

    public void Dispose()
    {
        _logStore.Dispose();
        _witnessStore.Dispose();
    }

    [Fact]
    public async Task A_log_server_publishes_each_checkpoint_with_its_witness_servers_cosignature()
    {
        var policy = TlogPolicy.Parse(Encoding.UTF8.GetBytes($"log {_logStore.Store.Log.Config.VerifierKey}\nwitness w1 {_cosigner.VerifierKey} {_witness.Url}\nquorum w1\n")).Value;
        var options = new ServerOptions(_logStore.Root, ListenAddress.Parse("127.0.0.1:0").Value) { Witnesses = policy };
        await using var log = (await RollproofServer.StartAsync(options, TimeProvider.System)).Value;
        using var http = new HttpClient { BaseAddress = log.Address };

        var before = log.Log.Writer.Size;
        for (var i = 0; i < 3; i++)
            await log.Log.Store.Log.AppendAsync(Encoding.UTF8.GetBytes($"entry {i}"), TimeProvider.System);
        var published = await http.GetByteArrayAsync("checkpoint");

        var decision = policy.Evaluate(published);
        Assert.True(decision.IsOk, decision.IsOk ? "" : decision.Problem.Message);
        Assert.Equal(before + 3, decision.Value.Checkpoint.Size);
        Assert.Equal(["w1"], decision.Value.Cosigners);
        // A tlog-tiles client holding only the log's key reads the same checkpoint.
        Assert.True(Checkpoint.Open(published, _logStore.Store.Log.Verifier).IsOk);
        var monitored = await _witness.Http.GetByteArrayAsync($"{WitnessStateDirectory.OriginHash(_logStore.Store.Log.Config.Origin)}/checkpoint");
        Assert.Equal(before + 3, policy.Evaluate(monitored).Value.Checkpoint.Size);
    }

    [Fact]
    public async Task The_witness_answers_add_checkpoint_with_the_status_the_specification_gives_each_case()
    {
        var one = Signed(1, MerkleHasher.LeafHash("a"u8));
        var two = Signed(2, MerkleHasher.NodeHash(MerkleHasher.LeafHash("a"u8), MerkleHasher.LeafHash("b"u8)));

        Assert.Equal(HttpStatusCode.BadRequest, (await Post("old 0\nnot a proof\n\n"u8.ToArray())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Post(Request(0, SignedNote.Sign(new Checkpoint("log.example/unknown", 0, MerkleHasher.EmptyRoot()).ToText(), NoteKeys.GenerateEd25519("log.example/unknown"))))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(Request(0, SignedNote.Sign(one.Text, NoteKeys.GenerateEd25519(_direct.Name))))).StatusCode);
        using var cosigned = await Post(Request(0, one));
        Assert.Equal(HttpStatusCode.OK, cosigned.StatusCode);
        Assert.True(SignedNote.Parse(one.Text + "\n" + await cosigned.Content.ReadAsStringAsync()).Value.Open([NoteKeys.ParseVerifierKey(_cosigner.VerifierKey).Value]).IsOk);
        using var conflict = await Post(Request(0, two));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("text/x.tlog.size", conflict.Content.Headers.ContentType!.MediaType);
        Assert.Equal("1\n", await conflict.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Post(Request(1, two, MerkleHasher.LeafHash("not b"u8)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(Request(1, two, MerkleHasher.LeafHash("b"u8)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(new byte[AddCheckpointRequest.MaxSize + 10])).StatusCode);
    }

    [Fact]
    public void A_witness_without_the_logs_it_cosigns_for_is_a_usage_error()
    {
        var error = new StringWriter();
        var code = CliApp.Run(["serve", "--store", _logStore.Root, "--listen", "127.0.0.1:0", "--witness", "witness.key"], new CliContext(new StringWriter(), error, interactive: false));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--witness-log", error.ToString());
    }

    private SignedNote Signed(long size, byte[] root) => SignedNote.Sign(new Checkpoint(_direct.Name, size, root).ToText(), _direct);

    private static byte[] Request(long oldSize, SignedNote checkpoint, params byte[][] proof) => new AddCheckpointRequest(oldSize, proof, checkpoint.ToBytes()).ToBytes();

    private Task<HttpResponseMessage> Post(byte[] body) => _witness.Http.PostAsync("add-checkpoint", new ByteArrayContent(body));
}
