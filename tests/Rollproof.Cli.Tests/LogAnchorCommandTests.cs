using Rollproof.Cli.Infrastructure;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Testing;
using Rollproof.Transparency;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// A verifier holds the log's key itself (its trust file or --log-key) and remembers the checkpoints it saw: a store
/// that swaps its log for another one, rewinds it, or re-signs its entries' times out of order is refused.
/// </summary>
public sealed class LogAnchorCommandTests : IDisposable
{
    private const string Origin = "releases.example/log";
    private readonly TempDirectory _dir = new();
    private readonly PrivateKey _ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);

    public LogAnchorCommandTests()
    {
        File.WriteAllText(_dir.Combine("ci.pem"), _ci.ToUnencryptedPem());
        File.WriteAllText(_dir.Combine("app.tar"), "the artifact");
        Ok("init", Store, "--origin", Origin);
        Publish(Store, "1.0");
        File.Copy(Path.Combine(Store, "trust.json"), RealTrust);
    }

    private string Store => _dir.Combine("store");

    private string RealTrust => _dir.Combine("real-trust.json");

    private string State => _dir.Combine("seen");

    public void Dispose()
    {
        _ci.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void A_store_swapped_for_a_shorter_fork_under_a_new_log_key_fails_against_the_verifiers_anchor()
    {
        var realKey = LogVerifierKey(Store);
        Publish(Store, "1.1");
        var fork = _dir.Combine("fork");
        Ok("init", fork, "--origin", Origin);
        Publish(fork, "1.0");
        Directory.Delete(Store, recursive: true);
        Folders.Copy(fork, Store);

        var byTrust = Verify("1.0", "--trust", RealTrust, "--state", _dir.Combine("fresh"));
        var byKey = Verify("1.0", "--log-key", realKey, "--state", _dir.Combine("fresh"));

        Assert.NotEqual(ExitCodes.Ok, byTrust.ExitCode);
        Assert.Contains(Origin, byTrust.Error, StringComparison.Ordinal);
        Assert.Contains("not signed by the log key", byTrust.Error, StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.Ok, byKey.ExitCode);
        Assert.Contains("not signed by the log key", byKey.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rewound_log_is_refused_naming_the_remembered_and_the_presented_checkpoint()
    {
        var older = _dir.Combine("older-log");
        Folders.Copy(Path.Combine(Store, "log"), older);
        var olderHead = Head(Store);
        Publish(Store, "1.1");
        Assert.Equal(ExitCodes.Ok, Verify("1.1", "--trust", RealTrust, "--state", State).ExitCode);
        var seenHead = Head(Store);
        Folders.Restore(older, Path.Combine(Store, "log"));
        // Checked where the log's writer keeps no record: only the verifier's memory holds the newer checkpoint.
        File.Delete(Storage.CheckpointRecordFile.OfWriter(NoteKeys.ParseVerifierKey(LogVerifierKey(Store)).Value).Path);

        var rewound = Verify("1.0", "--trust", RealTrust, "--state", State);

        Assert.NotEqual(ExitCodes.Ok, rewound.ExitCode);
        Assert.Contains($"size {seenHead.Size} (root {Convert.ToBase64String(seenHead.RootHash)})", rewound.Error, StringComparison.Ordinal);
        Assert.Contains($"size {olderHead.Size} (root {Convert.ToBase64String(olderHead.RootHash)})", rewound.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_times_re_signed_to_go_backwards_are_refused_naming_both_entries()
    {
        Publish(Store, "1.1");
        var log = ReleaseStore.Open(Store).Value.Log;
        var size = log.ReadCheckpoint().Value.Checkpoint.Size;
        var last = size - 1;
        var before = log.Timestamps.Read(last - 1).Value!.Time;
        var signer = NoteSignerFile.Load(log.Config.KeyFile, Origin).Value;
        var entry = LogEntries.Read(log.Storage, last, size).Value;
        var backdated = before.AddHours(-1);
        StoredTimestamps.Delete(log.Path, last);
        log.Timestamps.Keep(last, SignedEntryTimestamp.Sign(signer, entry, last, backdated));

        var audit = Run("log", "verify", Path.Combine(Store, "log"), "--vkey", log.Config.VerifierKey);
        var rebuild = Run("index", "rebuild", "--store", Store);

        foreach (var refused in new[] { audit, rebuild })
        {
            Assert.NotEqual(ExitCodes.Ok, refused.ExitCode);
            Assert.Contains($"entry {last} ({backdated:O})", refused.Error, StringComparison.Ordinal);
            Assert.Contains($"entry {last - 1} ({before:O})", refused.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_default_memory_refuses_a_new_log_key_for_an_origin_seen_under_another()
    {
        var root = _dir.Combine("seen-root");
        var seen = VerifierState.PathIn(root, Origin, NoteKeys.ParseVerifierKey(LogVerifierKey(Store)).Value);
        var swapped = VerifierState.PathIn(root, Origin, NoteKeys.ParseVerifierKey(NoteKeys.GenerateEd25519(Origin).VerifierKey).Value);
        Assert.Null(VerifierState.CheckPinned(seen, Origin));
        File.WriteAllText(seen, "a remembered checkpoint");

        Assert.Null(VerifierState.CheckPinned(seen, Origin));
        Assert.Contains($"checkpoints of {Origin} signed by another log key", VerifierState.CheckPinned(swapped, Origin)?.Message, StringComparison.Ordinal);
        Assert.Null(VerifierState.CheckPinned(VerifierState.PathIn(root, "other.example/log", NoteKeys.ParseVerifierKey(NoteKeys.GenerateEd25519("other.example/log").VerifierKey).Value), "other.example/log"));
    }

    private static Checkpoint Head(string store) => ReleaseStore.Open(store).Value.Log.ReadCheckpoint().Value.Checkpoint;

    private static string LogVerifierKey(string store) => ReleaseStore.Open(store).Value.Log.Config.VerifierKey;

    private CliRunner.Outcome Verify(string version, params string[] more) =>
        Run(["release", "verify", "--store", Store, "--app", "shop", "--version", version, .. more]);

    private void Publish(string store, string version) =>
        Ok("release", "publish", "--store", store, "--app", "shop", "--version", version, "--artifact", _dir.Combine("app.tar"), "--key", _dir.Combine("ci.pem"));

    private static void Ok(params string[] args)
    {
        var outcome = Run(args);
        Assert.True(outcome.ExitCode == ExitCodes.Ok, outcome.Error);
    }
}
