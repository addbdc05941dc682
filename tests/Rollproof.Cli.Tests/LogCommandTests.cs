using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Testing;
using Rollproof.Transparency;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>The log commands, driven as a user types them; checks output shapes and exit codes.</summary>
public sealed class LogCommandTests : IDisposable
{
    private const string Origin = "cli.example/log";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string LogDir => _dir.Combine("log");

    [Fact]
    public void Keygen_prints_a_signer_key_and_its_verifier_key()
    {
        var result = Run("log", "keygen", "k.example");
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var lines = result.Out.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("PRIVATE+KEY+k.example+", lines[0], StringComparison.Ordinal);
        Assert.Equal(lines[1], Signing.NoteKeys.ParseSignerKey(lines[0]).Value.VerifierKey);
    }

    [Fact]
    public void Keygen_to_a_file_keeps_the_secret_off_stdout_and_never_overwrites()
    {
        var path = _dir.Combine("key");
        var result = Run("log", "keygen", "k.example", "-o", path);
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.DoesNotContain("PRIVATE", result.Out, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var before = File.ReadAllText(path);
        Assert.Equal(ExitCodes.InputError, Run("log", "keygen", "k.example", "-o", path).ExitCode);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void Append_prints_indexes_and_duplicates_get_their_first_index()
    {
        Init();
        var files = Files("alpha", "beta");
        var result = Run(["log", "append", LogDir, .. files]);
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal($"0\t{files[0]}\n1\t{files[1]}\n", result.Out);

        var again = Run("log", "append", LogDir, files[1], Files("gamma")[0], "--json");
        var json = JsonDocument.Parse(again.Out).RootElement;
        Assert.Equal(1, json[0].GetProperty("index").GetInt64());
        Assert.Equal(2, json[1].GetProperty("index").GetInt64());
        Assert.Equal(files[1], json[0].GetProperty("file").GetString());
    }

    [Fact]
    public void Append_with_one_bad_file_appends_nothing()
    {
        Init();
        Run(["log", "append", LogDir, .. Files("a")]);
        var before = File.ReadAllBytes(Path.Combine(LogDir, "checkpoint"));
        var big = _dir.Combine("big");
        File.WriteAllBytes(big, new byte[EntryBundle.MaxEntrySize + 1]);

        var tooBig = Run(["log", "append", LogDir, .. Files("b"), big]);
        var missing = Run(["log", "append", LogDir, .. Files("c"), _dir.Combine("nope")]);

        Assert.Equal(ExitCodes.InputError, tooBig.ExitCode);
        Assert.Contains($"'{big}' is 65536 bytes", tooBig.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputError, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(LogDir, "checkpoint")));
    }

    [Fact]
    public void Checkpoint_prints_the_stored_bytes_exactly()
    {
        Init();
        Run(["log", "append", LogDir, .. Files("a", "b", "c")]);
        var result = Run("log", "checkpoint", LogDir);
        Assert.Equal(File.ReadAllText(Path.Combine(LogDir, "checkpoint")), result.Out);
        Assert.StartsWith($"{Origin}\n3\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Prove_and_consistency_print_proofs_that_verify()
    {
        Init();
        Run(["log", "append", LogDir, .. Files([.. Enumerable.Range(0, 20).Select(i => $"entry {i}")])]);

        var prove = JsonDocument.Parse(Run("log", "prove", LogDir, "--index", "7", "--size", "13", "--json").Out).RootElement;
        Assert.Equal(7, prove.GetProperty("index").GetInt64());
        Assert.Equal(13, prove.GetProperty("treeSize").GetInt64());
        Assert.Null(MerkleProofs.VerifyInclusion(7, 13, MerkleHasher.LeafHash("entry 7"u8), Hashes(prove), Bytes(prove, "rootHash")));

        var consistency = JsonDocument.Parse(Run("log", "consistency", LogDir, "--old", "13", "--json").Out).RootElement;
        Assert.Equal(20, consistency.GetProperty("newSize").GetInt64());
        Assert.Equal(Bytes(prove, "rootHash"), Bytes(consistency, "oldRoot"));
        Assert.Null(MerkleProofs.VerifyConsistency(13, 20, Bytes(consistency, "oldRoot"), Bytes(consistency, "newRoot"), Hashes(consistency)));
    }

    [Theory]
    [InlineData(ExitCodes.InputError, "log", "prove", "{log}", "--index", "99")]
    [InlineData(ExitCodes.InputError, "log", "prove", "{log}", "--index", "0", "--size", "99")]
    [InlineData(ExitCodes.Usage, "log", "prove", "{log}", "--index", "-1")]
    [InlineData(ExitCodes.Usage, "log", "prove", "{log}", "--index", "one")]
    [InlineData(ExitCodes.Usage, "log", "prove", "{log}")]
    [InlineData(ExitCodes.InputError, "log", "consistency", "{log}", "--old", "5", "--new", "3")]
    [InlineData(ExitCodes.InputError, "log", "prove", "{dir}", "--index", "0")]
    [InlineData(ExitCodes.Usage, "log", "frobnicate")]
    [InlineData(ExitCodes.Usage, "log", "verify", "{log}")]
    [InlineData(ExitCodes.InputError, "log", "verify", "{log}", "--vkey", "not-a-key")]
    public void Bad_requests_exit_with_the_documented_code_and_say_why(int code, params string[] args)
    {
        Init();
        Run(["log", "append", LogDir, .. Files("a", "b", "c", "d")]);
        var result = Run([.. args.Select(a => a.Replace("{log}", LogDir).Replace("{dir}", _dir.Path))]);
        Assert.Equal(code, result.ExitCode);
        Assert.StartsWith("error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_refuses_a_non_empty_directory_and_a_key_named_differently()
    {
        var key = Key("other.example/log");
        Assert.Equal(ExitCodes.InputError, Run("log", "init", LogDir, "--origin", Origin, "--key", key).ExitCode);
        Assert.False(Directory.Exists(Path.Combine(LogDir, "tile")));
        Directory.CreateDirectory(LogDir);
        File.WriteAllText(Path.Combine(LogDir, "precious"), "x");
        var result = Run("log", "init", LogDir, "--origin", Origin, "--key", Key(Origin));
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Contains("not empty", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_passes_a_good_log_and_names_the_first_bad_resource()
    {
        var vkey = Init();
        Run(["log", "append", LogDir, .. Files([.. Enumerable.Range(0, 300).Select(i => $"e{i}")])]);
        var ok = Run("log", "verify", LogDir, "--vkey", vkey, "--json");
        Assert.Equal(ExitCodes.Ok, ok.ExitCode);
        Assert.Equal(300, JsonDocument.Parse(ok.Out).RootElement.GetProperty("size").GetInt64());

        var bundle = Path.Combine(LogDir, "tile", "entries", "001.p", "44");
        var bytes = File.ReadAllBytes(bundle);
        bytes[^1] ^= 1;
        File.WriteAllBytes(bundle, bytes);
        var bad = Run("log", "verify", LogDir, "--vkey", vkey);
        Assert.Equal(ExitCodes.VerificationFailed, bad.ExitCode);
        Assert.Contains("entry 299 (number 43 in tile/entries/001.p/44)", bad.Error, StringComparison.Ordinal);

        var otherKey = Signing.NoteKeys.GenerateEd25519(Origin).VerifierKey;
        Assert.Equal(ExitCodes.VerificationFailed, Run("log", "verify", LogDir, "--vkey", otherKey).ExitCode);
    }

    [Fact]
    public void Verify_accepts_another_implementations_log()
    {
        var result = Run("log", "verify", SharedFiles.Vector("tlog-tiles"), "--vkey", "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx");
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("verified: 15 entries", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Receipts_verify_offline_and_fail_for_another_entry()
    {
        var vkey = Init();
        var files = Files([.. Enumerable.Range(0, 10).Select(i => $"r{i}")]);
        Run(["log", "append", LogDir, .. files]);
        var receipt = _dir.Combine("e4.tlog-proof");
        Assert.Equal(ExitCodes.Ok, Run("log", "receipt", LogDir, "--index", "4", "-o", receipt).ExitCode);

        Assert.Equal(ExitCodes.Ok, Run("log", "verify-receipt", receipt, "--entry", files[4], "--vkey", vkey).ExitCode);
        var wrong = Run("log", "verify-receipt", receipt, "--entry", files[5], "--vkey", vkey);
        Assert.Equal(ExitCodes.VerificationFailed, wrong.ExitCode);
        Assert.Contains("RP1404", wrong.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, Run("log", "verify-receipt", receipt, "--entry", files[4]).ExitCode);
    }

    [Fact]
    public void A_receipt_against_a_checkpoint_from_another_history_is_refused()
    {
        Init();
        Run(["log", "append", LogDir, .. Files("a", "b", "c")]);
        var forged = _dir.Combine("forged");
        var key = Signing.NoteKeys.ParseSignerKey(File.ReadAllText(_dir.Combine("log.key"))).Value;
        File.WriteAllBytes(forged, Signing.SignedNote.Sign(new Checkpoint(Origin, 2, MerkleHasher.LeafHash("other"u8)).ToText(), key).ToBytes());

        var result = Run("log", "receipt", LogDir, "--index", "1", "--checkpoint", forged);

        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.Contains("not consistent with this log", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_witness_cosigns_consistent_checkpoints_and_the_policy_counts_it()
    {
        var vkey = Init();
        Run(["log", "append", LogDir, .. Files("a", "b")]);
        var witnessKey = _dir.Combine("witness.key");
        var witnessVkey = Run("log", "keygen", "w1.example", "--cosigner", "-o", witnessKey).Out.Trim();
        var state = _dir.Combine("witness.state");
        var cosigned = _dir.Combine("cosigned");
        Assert.Equal(ExitCodes.Ok, Run("log", "cosign", LogDir, "--key", witnessKey, "--log-vkey", vkey, "--state", state, "-o", cosigned).ExitCode);
        Run(["log", "append", LogDir, .. Files("c")]);
        Assert.Equal(ExitCodes.Ok, Run("log", "cosign", LogDir, "--key", witnessKey, "--log-vkey", vkey, "--state", state, "-o", cosigned).ExitCode);

        var policy = _dir.Combine("policy");
        File.WriteAllText(policy, $"log {vkey}\nwitness w1 {witnessVkey}\nquorum w1\n");
        var met = Run("log", "cosign-policy", LogDir, "--policy", policy, "--checkpoint", cosigned, "--json");
        Assert.Equal(ExitCodes.Ok, met.ExitCode);
        Assert.Equal("w1", JsonDocument.Parse(met.Out).RootElement.GetProperty("cosigners")[0].GetString());
        var unmet = Run("log", "cosign-policy", LogDir, "--policy", policy);
        Assert.Equal(ExitCodes.VerificationFailed, unmet.ExitCode);
        Assert.Contains("quorum 'w1' is not met", unmet.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_witness_refuses_a_log_that_rolled_back()
    {
        var vkey = Init();
        Run(["log", "append", LogDir, .. Files("a", "b", "c")]);
        var witnessKey = _dir.Combine("witness.key");
        Run("log", "keygen", "w1.example", "--cosigner", "-o", witnessKey);
        var state = _dir.Combine("witness.state");
        Run("log", "cosign", LogDir, "--key", witnessKey, "--log-vkey", vkey, "--state", state);

        // A fork: a fresh log under the same key with different history, made where its writer keeps no record.
        Directory.Delete(LogDir, recursive: true);
        File.Delete(Storage.CheckpointRecordFile.OfWriter(Signing.NoteKeys.ParseVerifierKey(vkey).Value).Path);
        Run("log", "init", LogDir, "--origin", Origin, "--key", _dir.Combine("log.key"));
        Run(["log", "append", LogDir, .. Files("x", "y", "z", "w")]);
        var result = Run("log", "cosign", LogDir, "--key", witnessKey, "--log-vkey", vkey, "--state", state);
        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.Contains("not consistent", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_teaches_each_command()
    {
        var result = Run("log", "append", "--help");
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("rollproof log append <DIR> <FILE>...", result.Out, StringComparison.Ordinal);
        Assert.Contains("first index", result.Out, StringComparison.Ordinal);
    }

    private string Init()
    {
        var init = Run("log", "init", LogDir, "--origin", Origin, "--key", Key(Origin, "log.key"), "--json");
        Assert.Equal(ExitCodes.Ok, init.ExitCode);
        return JsonDocument.Parse(init.Out).RootElement.GetProperty("verifierKey").GetString()!;
    }

    private string Key(string name, string file = "key")
    {
        var path = _dir.Combine(file);
        File.Delete(path);
        Assert.Equal(ExitCodes.Ok, Run("log", "keygen", name, "-o", path).ExitCode);
        return path;
    }

    private string[] Files(params string[] contents) =>
        [.. contents.Select(c =>
        {
            var path = _dir.Combine("entry-" + Guid.NewGuid().ToString("N")[..8]);
            File.WriteAllText(path, c);
            return path;
        })];

    private static List<byte[]> Hashes(JsonElement json) =>
        [.. json.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!))];

    private static byte[] Bytes(JsonElement json, string name) => Convert.FromBase64String(json.GetProperty(name).GetString()!);
}
