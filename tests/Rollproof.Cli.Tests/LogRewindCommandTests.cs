using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// Restoring a log's files from an older copy is refused by 'log append' and 'log verify' (the writer's records, then
/// the verifier's memory), and only 'log repair --accept-rewind' with a reason accepts it, logging the repair.
/// </summary>
public sealed class LogRewindCommandTests : IDisposable
{
    private const string Origin = "rewind-cli.example/log";
    private readonly TempDirectory _dir = new();
    private readonly string _vkey;

    public LogRewindCommandTests()
    {
        Assert.Equal(ExitCodes.Ok, Run("log", "keygen", Origin, "-o", _dir.Combine("log.key")).ExitCode);
        var init = Run("log", "init", LogDir, "--origin", Origin, "--key", _dir.Combine("log.key"), "--json");
        _vkey = JsonDocument.Parse(init.Out).RootElement.GetProperty("verifierKey").GetString()!;
    }

    public void Dispose()
    {
        File.Delete(WriterRecord);
        _dir.Dispose();
    }

    private string LogDir => _dir.Combine("log");

    private string Checkpoint => Path.Combine(LogDir, "checkpoint");

    private string WriterRecord => CheckpointRecordFile.OfWriter(NoteKeys.ParseVerifierKey(_vkey).Value).Path;

    [Fact]
    public void Append_and_verify_refuse_a_restored_checkpoint_naming_both_and_append_nothing()
    {
        Append("a");
        var older = File.ReadAllBytes(Checkpoint);
        Append("b");
        var published = Head();
        File.WriteAllBytes(Checkpoint, older);

        var append = Run("log", "append", LogDir, Entry("c"));
        var verify = Run("log", "verify", LogDir, "--vkey", _vkey, "--state", _dir.Combine("seen"));

        foreach (var refused in new[] { append, verify })
        {
            Assert.Equal(ExitCodes.VerificationFailed, refused.ExitCode);
            Assert.Contains(ErrorCodes.LogRewound, refused.Error, StringComparison.Ordinal);
            Assert.Contains($"checkpoint at size 1 (root {Root(older)})", refused.Error, StringComparison.Ordinal);
            Assert.Contains($"published size 2 (root {Root(published)})", refused.Error, StringComparison.Ordinal);
        }
        Assert.Equal(older, File.ReadAllBytes(Checkpoint));
    }

    [Fact]
    public void Log_verify_remembers_what_it_verified_and_refuses_a_whole_log_restored_where_the_writers_record_is_not()
    {
        var seen = _dir.Combine("seen");
        Append("a");
        Folders.Copy(LogDir, _dir.Combine("backup"));
        Append("b");
        Assert.Equal(ExitCodes.Ok, Run("log", "verify", LogDir, "--vkey", _vkey, "--state", seen).ExitCode);
        var verified = Head();

        // Restored whole, record included, and checked on a machine that holds no record of its writer.
        Folders.Restore(_dir.Combine("backup"), LogDir);
        File.Delete(WriterRecord);
        var refused = Run("log", "verify", LogDir, "--vkey", _vkey, "--state", seen);

        Assert.Equal(ExitCodes.VerificationFailed, refused.ExitCode);
        Assert.Contains(ErrorCodes.CheckpointInconsistent, refused.Error, StringComparison.Ordinal);
        Assert.Contains($"size 2 (root {Root(verified)})", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Repair_needs_the_flag_and_a_reason_then_logs_the_repair_and_the_log_goes_on()
    {
        Append("a");
        Folders.Copy(LogDir, _dir.Combine("backup"));
        Append("b", "c");
        var lost = Head();
        Folders.Restore(_dir.Combine("backup"), LogDir);

        Assert.Equal(ExitCodes.Usage, Run("log", "repair", LogDir, "--reason", "restored").ExitCode);
        Assert.Equal(ExitCodes.Usage, Run("log", "repair", LogDir, "--accept-rewind", "--reason", " ").ExitCode);
        Assert.Equal(ExitCodes.VerificationFailed, Run("log", "append", LogDir, Entry("d")).ExitCode);
        var repair = Run("log", "repair", LogDir, "--accept-rewind", "--reason", "disk lost; restored the 02:00 backup", "--json");

        Assert.Equal(ExitCodes.Ok, repair.ExitCode);
        var json = JsonDocument.Parse(repair.Out).RootElement;
        Assert.Equal(lost.Size, json.GetProperty("rewound").GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToBase64String(lost.RootHash), json.GetProperty("rewound").GetProperty("rootHash").GetString());
        Assert.Equal(1, json.GetProperty("accepted").GetProperty("size").GetInt64());
        Assert.Equal(1, json.GetProperty("index").GetInt64());
        Assert.Equal(ExitCodes.Ok, Run("log", "append", LogDir, Entry("d")).ExitCode);
        Assert.Equal(ExitCodes.Ok, Run("log", "verify", LogDir, "--vkey", _vkey, "--state", _dir.Combine("fresh")).ExitCode);
        Assert.Contains("nothing to repair", Run("log", "repair", LogDir, "--accept-rewind", "--reason", "again").Out, StringComparison.Ordinal);
    }

    private void Append(params string[] entries) => Assert.Equal(ExitCodes.Ok, Run(["log", "append", LogDir, .. entries.Select(Entry)]).ExitCode);

    private string Entry(string content)
    {
        var path = _dir.Combine("entry-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(path, content);
        return path;
    }

    private Transparency.Checkpoint Head() => Transparency.Checkpoint.Open(File.ReadAllBytes(Checkpoint), NoteKeys.ParseVerifierKey(_vkey).Value).Value.Checkpoint;

    private string Root(byte[] checkpoint) => Convert.ToBase64String(Transparency.Checkpoint.Open(checkpoint, NoteKeys.ParseVerifierKey(_vkey).Value).Value.Checkpoint.RootHash);

    private static string Root(Transparency.Checkpoint checkpoint) => Convert.ToBase64String(checkpoint.RootHash);
}
