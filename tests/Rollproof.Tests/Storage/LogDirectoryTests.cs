using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;

namespace Rollproof.Tests.Storage;

public class LogDirectoryTests
{
    [Fact]
    public async Task A_second_writer_is_refused_while_the_first_is_open()
    {
        using var dir = new TempDirectory();
        var key = NoteKeys.GenerateEd25519("lock.example/log");
        File.WriteAllText(dir.Combine("key"), key.SignerKey);
        var log = LogDirectory.Init(dir.Combine("log"), key.Name, dir.Combine("key")).Value;

        await using (var first = log.OpenWriter().Value)
        {
            Assert.Equal(ErrorCodes.LogLocked, log.OpenWriter().Problem?.Code);
        }
        await using var again = log.OpenWriter().Value;
    }

    [Fact]
    public void A_log_opened_with_another_key_is_refused()
    {
        using var dir = new TempDirectory();
        var key = NoteKeys.GenerateEd25519("lock.example/log");
        File.WriteAllText(dir.Combine("key"), key.SignerKey);
        File.WriteAllText(dir.Combine("other"), NoteKeys.GenerateEd25519("lock.example/log").SignerKey);
        var log = LogDirectory.Init(dir.Combine("log"), key.Name, dir.Combine("key")).Value;

        var opened = log.OpenWriter(dir.Combine("other"));

        Assert.Equal(ErrorCodes.SignerKeyMalformed, opened.Problem?.Code);
        Assert.Contains("is not this log's key", opened.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("{\"origin\":\"a\"}", "is incomplete")]
    public void A_damaged_configuration_is_reported(string config, string detail)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine(".rollproof"));
        File.WriteAllText(dir.Combine(".rollproof", "log.json"), config);
        Assert.Contains(detail, LogDirectory.Open(dir.Path).Problem!.Message, StringComparison.Ordinal);
    }
}
