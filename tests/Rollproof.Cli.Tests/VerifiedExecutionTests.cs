using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Rollproof.Cli.Infrastructure;
using Rollproof.Targets;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// What an executed rollback runs is what the request names in the log, verified right before it runs: a release
/// record edited to point elsewhere, a down script swapped in the artifact store, a release folder edited on the
/// target, or a record forged for another version changes nothing that runs.
/// </summary>
public sealed class VerifiedExecutionTests : GovernedStoreTests
{
    private string Out => Dir.Combine("out.txt");

    private string Local => Dir.Combine("local");

    private string Records => Path.Combine(Store, "releases", "doc-signer");

    private static string DigestOf(string content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    [Fact]
    public void A_target_record_pointed_at_another_signed_release_of_that_version_does_not_change_the_target()
    {
        var request = Approved();
        // A second, validly signed doc-signer 1.0 is logged, and the record now points at it rather than the request's.
        File.Delete(Path.Combine(Records, "1.0.json"));
        File.Delete(Path.Combine(Records, "1.0.tlog-proof"));
        Publish("1.0", "doc-signer 1.0 rebuilt by someone else", migrations: []);
        var runbook = RunbookWith("{ id: deploy, uses: command, with: { run: 'echo \"{{target.artifact.app.tar}}\" >> " + Out + "' } }");

        var executed = Execute(request, runbook);

        Assert.True(executed.ExitCode == ExitCodes.Ok, executed.Error);
        Assert.Equal([DigestOf("doc-signer 1.0")], File.ReadAllLines(Out));
    }

    [Fact]
    public void A_current_release_record_pointed_at_other_migrations_does_not_choose_the_down_scripts()
    {
        var request = Approved();
        var database = DocsDatabase();
        // 1.2 is validly signed and brings a migration whose down script drops the documents; 1.1's record now points at it.
        Publish("1.2", "doc-signer 1.2", migrations: [("0002_signatures", "ALTER TABLE docs ADD COLUMN sig TEXT;", "ALTER TABLE docs DROP COLUMN sig;"), ("0003_audit", "CREATE TABLE audit (x TEXT);", "DROP TABLE docs;")]);
        File.Copy(Path.Combine(Records, "1.2.json"), Path.Combine(Records, "1.1.json"), overwrite: true);

        var executed = Execute(request, RunbookWith($"{{ id: migrate-down, uses: migrate-down, with: {{ sqlite: {database} }} }}"));

        Assert.True(executed.ExitCode == ExitCodes.Ok, executed.Error);
        Assert.Equal(["id", "body"], Columns(database));
    }

    [Fact]
    public void A_down_script_replaced_in_the_artifact_store_is_refused_and_nothing_runs()
    {
        var request = Approved();
        var database = DocsDatabase();
        var blob = DigestOf("ALTER TABLE docs DROP COLUMN sig;")["sha256:".Length..];
        var path = Path.Combine(Store, "artifacts", "sha256", blob[..2], blob);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, "DROP TABLE docs;");

        var executed = Execute(request, RunbookWith($"{{ id: migrate-down, uses: migrate-down, with: {{ sqlite: {database} }} }}"));

        Assert.NotEqual(ExitCodes.Ok, executed.ExitCode);
        Assert.Contains(Journal(request), l => l.Contains("the current release does not verify, so no down script runs", StringComparison.Ordinal) && l.Contains(blob, StringComparison.Ordinal));
        Assert.Equal(["id", "body", "sig"], Columns(database));
    }

    [Fact]
    public void A_file_edited_in_an_unpacked_release_folder_is_unpacked_again_and_the_signed_one_runs()
    {
        var request = Approved();
        // An earlier unpack of 1.0's artifact, since edited, with the marker an unpack leaves.
        var digest = DigestOf("doc-signer 1.0");
        var folder = Path.Combine(Local, "releases", digest["sha256:".Length..]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "app.tar"), "tampered");
        File.WriteAllText(Path.Combine(folder, ".rollproof-artifact"), digest + "\n");

        var executed = Execute(request, RunbookWith(DeployStep(version: null)));

        Assert.True(executed.ExitCode == ExitCodes.Ok, executed.Error);
        Assert.Equal("doc-signer 1.0", WaitForOut());
        Assert.Contains(Journal(request), l => l.Contains("\"restored\":\".rollproof-artifact,app.tar\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_deploy_of_another_version_whose_record_was_forged_is_refused_and_nothing_starts()
    {
        var request = Approved();
        Publish("1.2", "doc-signer 1.2", migrations: []);
        // 1.2's record now points at 1.0's validly signed statement.
        File.Copy(Path.Combine(Records, "1.0.json"), Path.Combine(Records, "1.2.json"), overwrite: true);

        var executed = Execute(request, RunbookWith(DeployStep(version: "1.2")));

        Assert.NotEqual(ExitCodes.Ok, executed.ExitCode);
        Assert.Contains(Journal(request), l => l.Contains("holds a statement for doc-signer 1.0", StringComparison.Ordinal));
        Assert.False(File.Exists(Out));
        Assert.Null(new LocalProcesses(Local).Running("blue"));
    }

    [Fact]
    public void A_deploy_of_another_version_runs_that_versions_signed_artifact()
    {
        var request = Approved();
        Publish("1.2", "doc-signer 1.2", migrations: []);

        var executed = Execute(request, RunbookWith(DeployStep(version: "1.2")));

        Assert.True(executed.ExitCode == ExitCodes.Ok, executed.Error);
        Assert.Equal("doc-signer 1.2", WaitForOut());
    }

    protected override void Dispose(bool disposing)
    {
        new LocalProcesses(Local).StopAsync("blue", TimeSpan.FromSeconds(5), CancellationToken.None).GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    private string DeployStep(string? version) =>
        $"{{ id: deploy, uses: deploy, with: {{ local: {Local}, slot: blue, port: '{FreePort()}', run: 'cat app.tar > {Out}; exec sleep 300'{(version is null ? "" : $", version: '{version}'")} }} }}";

    private string RunbookWith(string step)
    {
        var path = Dir.Combine($"runbook-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"name: verified\nsteps:\n  - {step}\n");
        return path;
    }

    private void Publish(string version, string artifact, (string Id, string Up, string Down)[] migrations)
    {
        var dir = Dir.Combine("forged-" + version);
        Directory.CreateDirectory(Path.Combine(dir, "migrations"));
        File.WriteAllText(Path.Combine(dir, "app.tar"), artifact);
        foreach (var (id, up, down) in migrations)
        {
            File.WriteAllText(Path.Combine(dir, "migrations", id + ".up.sql"), up);
            File.WriteAllText(Path.Combine(dir, "migrations", id + ".down.sql"), down);
        }
        Ok("release", "publish", "--store", Store, "--app", "doc-signer", "--version", version, "--artifact", Path.Combine(dir, "app.tar"),
            "--migrations", Path.Combine(dir, "migrations"), "--key", Key("ci"));
    }

    private string[] Journal(long request) =>
        File.ReadAllLines(Path.Combine(Store, ".rollproof", "executions", request.ToString(CultureInfo.InvariantCulture), "journal.jsonl"));

    // The slot's command writes the file once started; the deploy returns as soon as it runs.
    private string WaitForOut()
    {
        for (var waited = 0; waited < 100 && !(File.Exists(Out) && new FileInfo(Out).Length > 0); waited++)
            Thread.Sleep(100);
        return File.ReadAllText(Out);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
