using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>An evidence package verifies offline with the trust file alone, and fails once any file inside is changed, added or removed.</summary>
public sealed class EvidenceCommandTests : GovernedStoreTests
{
    private string Package => Dir.Combine("evidence.zip");

    private string Trust => Path.Combine(Store, "trust.json");

    private long ApprovedRequest()
    {
        var request = Request("alice").GetProperty("logIndex").GetInt64();
        foreach (var approver in new[] { "carol", "dave", "erin" })
            Assert.Equal(ExitCodes.Ok, Decide("approve", request, approver).ExitCode);
        Ok("evidence", "export", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "-o", Package);
        return request;
    }

    private static CliRunner.Outcome Verify(string package, string trust) => Run("evidence", "verify", package, "--trust", trust, "--json");

    [Fact]
    public void The_summary_names_each_signer_as_the_trust_file_does_with_their_key_id()
    {
        ApprovedRequest();

        using var zip = ZipFile.OpenRead(Package);
        var summary = new StreamReader(zip.GetEntry("summary.md")!.Open()).ReadToEnd();

        foreach (var person in new[] { "alice", "carol", "dave", "erin", "ops", "root" })
            Assert.Contains($"{person} (key `{Keys[person].PublicKey.KeyId}`)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exported_package_verifies_offline_with_the_trust_file_alone()
    {
        var request = ApprovedRequest();
        var copy = Dir.Combine("elsewhere", "evidence.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(Package, copy);
        File.Copy(Trust, Dir.Combine("elsewhere", "trust.json"));
        Directory.Delete(Store, recursive: true); // no store, no database

        var verified = Verify(copy, Dir.Combine("elsewhere", "trust.json"));

        Assert.Equal(ExitCodes.Ok, verified.ExitCode);
        var report = JsonDocument.Parse(verified.Out).RootElement;
        Assert.Equal(request, report.GetProperty("request").GetInt64());
        Assert.Equal(9, report.GetProperty("statements").GetInt32()); // 2 releases, 2 deployments, policy, request, 3 approvals
        using var zip = ZipFile.OpenRead(copy);
        var summary = new StreamReader(zip.GetEntry("summary.md")!.Open()).ReadToEnd();
        Assert.Contains("# Rollback evidence: doc-signer in prod, 1.1 to 1.0", summary, StringComparison.Ordinal);
        Assert.Contains("crypto.signature-algorithm-changed", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_adding_or_removing_any_file_makes_it_fail_naming_the_file()
    {
        ApprovedRequest();
        using var original = ZipFile.OpenRead(Package);
        var files = original.Entries.ToDictionary(e => e.FullName, e => { using var s = e.Open(); using var m = new MemoryStream(); s.CopyTo(m); return m.ToArray(); });
        Assert.True(files.Count > 20);

        foreach (var path in files.Keys)
        {
            var changed = new Dictionary<string, byte[]>(files) { [path] = Flip(files[path]) };
            AssertFails(changed, path, $"changed {path}");
            var removed = new Dictionary<string, byte[]>(files);
            removed.Remove(path);
            AssertFails(removed, path, $"removed {path}");
        }
        AssertFails(new Dictionary<string, byte[]>(files) { ["notes.txt"] = "also approved by phone"u8.ToArray() }, "notes.txt", "added notes.txt");
        AssertFails(new Dictionary<string, byte[]>(files) { ["blobs/sha256/" + new string('a', 64)] = "x"u8.ToArray() }, "blobs/sha256/", "added a blob");
    }

    [Fact]
    public void Without_the_logs_key_or_with_another_stores_trust_it_fails()
    {
        ApprovedRequest();
        var trust = JsonDocument.Parse(File.ReadAllText(Trust)).RootElement;
        var withoutLog = trust.GetProperty("keys").EnumerateArray().Where(k => k.GetProperty("name").GetString() != "log").ToList();
        File.WriteAllText(Dir.Combine("no-log.json"), JsonSerializer.Serialize(new { keys = withoutLog }));
        Ok("init", Dir.Combine("other"));

        var noLogKey = Verify(Package, Dir.Combine("no-log.json"));
        var otherStore = Verify(Package, Path.Combine(Dir.Combine("other"), "trust.json"));

        Assert.Equal(ExitCodes.VerificationFailed, noLogKey.ExitCode);
        Assert.Contains("checkpoint:", noLogKey.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.VerificationFailed, otherStore.ExitCode);
    }

    [Fact]
    public void Export_refuses_to_overwrite_and_needs_a_rollback_request()
    {
        ApprovedRequest();
        var again = Run("evidence", "export", "5", "--store", Store, "-o", Package);
        var notARequest = Run("evidence", "export", "0", "--store", Store, "-o", Dir.Combine("other.zip"));

        Assert.Equal(ExitCodes.InputError, again.ExitCode);
        Assert.Contains("refusing to overwrite", again.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputError, notARequest.ExitCode);
        Assert.False(File.Exists(Dir.Combine("other.zip")));
    }

    private void AssertFails(Dictionary<string, byte[]> files, string named, string what)
    {
        var tampered = Dir.Combine("tampered.zip");
        File.Delete(tampered);
        using (var zip = ZipFile.Open(tampered, ZipArchiveMode.Create))
            foreach (var (path, bytes) in files)
            {
                using var stream = zip.CreateEntry(path).Open();
                stream.Write(bytes);
            }
        var verified = Verify(tampered, Trust);
        Assert.True(verified.ExitCode == ExitCodes.VerificationFailed, $"{what}: exit {verified.ExitCode} {verified.Error}");
        Assert.True(verified.Error.Contains(named, StringComparison.Ordinal) || verified.Error.Contains("checkpoint", StringComparison.Ordinal) || verified.Error.Contains("manifest.json", StringComparison.Ordinal) || verified.Error.Contains("entries/", StringComparison.Ordinal),
            $"{what}: the error does not name a file: {verified.Error}");
    }

    private static byte[] Flip(byte[] bytes)
    {
        var copy = bytes.ToArray();
        copy[copy.Length / 2] ^= 0x20;
        return copy;
    }
}
