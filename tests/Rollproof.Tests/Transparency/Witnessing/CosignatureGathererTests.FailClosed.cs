using System.Net;
using System.Net.Sockets;
using System.Text;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;
using Rollproof.Transparency.Witnessing;

namespace Rollproof.Tests.Transparency.Witnessing;

/// <summary>
/// Fail closed and degrade well: a checkpoint without its quorum is never written, its appends fail until a later
/// checkpoint with the quorum covers them, readers only ever see a cosigned checkpoint, and a hung witness rests.
/// </summary>
public sealed partial class CosignatureGathererTests
{
    private volatile bool _witnessesDown;

    [Fact]
    public async Task Without_its_quorum_a_checkpoint_is_withheld_and_a_later_one_with_it_covers_the_entries_that_waited()
    {
        var signer = NoteKeys.GenerateEd25519("log.example/withheld");
        var storage = new CheckpointWrites(new FileSystemLogStorage(_dir.Combine("log")));
        LogWriter.Create(storage, signer);
        var policy = OneWitness(signer);
        var options = new LogWriterOptions { Cosign = new CosignatureGatherer(policy, _http, TimeSpan.FromMinutes(1)).Hook(storage), CosignRetry = TimeSpan.FromMilliseconds(20) };
        // With the dedup index a server has, so the client's retry of the entry that waited gets that entry's index.
        await using var writer = LogWriter.Open(storage, signer, new SqliteDedupIndex(_dir.Combine("dedup.db")), options).Value;
        var empty = writer.LatestCheckpoint;
        _witnessesDown = true;

        var refused = await Assert.ThrowsAsync<EntryWithheldException>(() => writer.AppendAsync(TestLogs.Entry(1)));

        Assert.Equal(ErrorCodes.WitnessQuorumMissing, refused.Problem.Code);
        Assert.Contains("'w1'", refused.Problem.Message, StringComparison.Ordinal);
        Assert.Equal(0, refused.Index);
        Assert.Equal(0, writer.Size);
        Assert.Equal(empty, writer.LatestCheckpoint);
        Assert.Equal(empty, storage.Read(TilePath.Checkpoint));

        // Back up, the writer asks again by itself: the next checkpoint covers the entry that waited.
        var published = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        writer.CheckpointPublished += c => published.TrySetResult(c);
        _witnessesDown = false;
        var decision = policy.Evaluate(await published.Task);
        Assert.True(decision.IsOk, decision.IsOk ? "" : decision.Problem.Message);
        Assert.Equal(1, decision.Value.Checkpoint.Size);
        Assert.Equal(0, await writer.AppendAsync(TestLogs.Entry(1)));
        Assert.Equal(1, await writer.AppendAsync(TestLogs.Entry(2)));
        // Readers never saw a checkpoint without its cosignatures: each one written after the empty tree's has them.
        Assert.Equal(3, storage.Checkpoints.Count);
        Assert.All(storage.Checkpoints.Skip(1), c => Assert.True(policy.Evaluate(c).IsOk));
    }

    [Fact]
    public async Task A_hung_witness_rests_and_is_not_asked_for_the_next_checkpoint_while_the_others_meet_the_quorum()
    {
        using var hung = new HungListener();
        var policy = Policy("1", Serve(0, _log), hung.Url);
        var gatherer = new CosignatureGatherer(policy, _http, TimeSpan.FromMilliseconds(300));

        var first = await gatherer.GatherAsync(_log.Checkpoint(10).ToBytes(), _log.ConsistencyProofs);
        var second = await gatherer.GatherAsync(_log.Checkpoint(20).ToBytes(), _log.ConsistencyProofs);

        Assert.True(first.QuorumMet && second.QuorumMet);
        Assert.Contains(first.Failures, f => f.Code == ErrorCodes.WitnessUnavailable && f.Message.Contains("'w2': no answer in time", StringComparison.Ordinal));
        Assert.Contains(second.Failures, f => f.Code == ErrorCodes.WitnessResting && f.Message.Contains("'w2'", StringComparison.Ordinal));
        Assert.Equal(1, await hung.ConnectionsSoFarAsync());
    }

    [Fact]
    public async Task A_resting_witness_is_asked_anyway_when_the_quorum_cannot_be_met_without_it()
    {
        using var hung = new HungListener();
        var policy = Policy("all", Serve(0, _log), hung.Url);
        var gatherer = new CosignatureGatherer(policy, _http, TimeSpan.FromMilliseconds(300));

        await gatherer.GatherAsync(_log.Checkpoint(10).ToBytes(), _log.ConsistencyProofs);
        var second = await gatherer.GatherAsync(_log.Checkpoint(20).ToBytes(), _log.ConsistencyProofs);

        Assert.False(second.QuorumMet);
        Assert.DoesNotContain(second.Failures, f => f.Code == ErrorCodes.WitnessResting);
        Assert.Equal(2, await hung.ConnectionsSoFarAsync());
    }

    private TlogPolicy OneWitness(Ed25519NoteSigner signer) =>
        TlogPolicy.Parse(Encoding.UTF8.GetBytes($"log {signer.VerifierKey}\nwitness w1 {_cosigners[0].VerifierKey} {Serve(new Witness([NoteKeys.ParseVerifierKey(signer.VerifierKey).Value], _cosigners[0], new WitnessMemory()))}\nquorum w1\n")).Value;

    /// <summary>Every checkpoint the writer stores, in order.</summary>
    private sealed class CheckpointWrites(ILogStorage inner) : ILogStorage
    {
        public List<byte[]> Checkpoints { get; } = [];

        public byte[]? Read(string path) => inner.Read(path);

        public void Write(string path, ReadOnlySpan<byte> data) => inner.Write(path, data);

        public void Sync() => inner.Sync();

        public void ReplaceCheckpoint(ReadOnlySpan<byte> signedCheckpoint)
        {
            Checkpoints.Add(signedCheckpoint.ToArray());
            inner.ReplaceCheckpoint(signedCheckpoint);
        }
    }

    /// <summary>A real socket that accepts connections and never answers, counting them.</summary>
    private sealed class HungListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _accepted = [];

        public HungListener() => _listener.Start();

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";

        /// <summary>
        /// The connections made to it so far: a probe connects last, and connections are accepted in order, so once the
        /// probe is accepted every earlier one is.
        /// </summary>
        public async Task<int> ConnectionsSoFarAsync()
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)_listener.LocalEndpoint).Port);
            var probePort = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync();
                if (((IPEndPoint)socket.RemoteEndPoint!).Port == probePort)
                {
                    socket.Dispose();
                    return _accepted.Count;
                }
                _accepted.Add(socket);
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            foreach (var socket in _accepted)
                socket.Dispose();
        }
    }
}
