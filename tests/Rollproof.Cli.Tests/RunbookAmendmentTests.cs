using System.Globalization;
using System.Text;
using Rollproof.Cli.Infrastructure;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Runbooks;
using Rollproof.Signing;
using Rollproof.Trust;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>A governed store whose prod rollback failed at a step because of the runbook's own text (it names version 1.O), and the commands to amend and resume it.</summary>
public abstract class AmendmentFixture : GovernedStoreTests
{
    protected string Out => Dir.Combine("out.txt");

    protected static string Id(long request) => request.ToString(CultureInfo.InvariantCulture);

    protected string Runbook(string version)
    {
        var path = Dir.Combine($"runbook-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"name: r\nsteps:\n  - id: announce\n    uses: command\n    with: {{ run: 'echo announced >> {Out}' }}\n  - id: roll\n    uses: command\n    with: {{ run: 'test {{{{target.version}}}} = {version} && echo rolled >> {Out}' }}\n");
        return path;
    }

    protected (long Request, CliRunner.Outcome Failed) FailedByItsRunbook()
    {
        var request = Approved();
        return (request, Execute(request, Runbook("1.O")));
    }

    protected CliRunner.Outcome Amend(long request, string key = "ops") =>
        Run("rollback", "amend", Id(request), "--store", Store, "--runbook", Runbook("1.0"), "--reason", "the version was typed 1.O", "--key", Key(key), "--json");

    protected CliRunner.Outcome Resume(long request) => Run("rollback", "resume", Id(request), "--store", Store, "--key", Key("ops"), "--state", State, "--json");

    protected (CliRunner.Outcome Verified, string Summary) ExportAndVerify(long request)
    {
        var package = Dir.Combine($"evidence-{Guid.NewGuid():N}.zip");
        Ok("evidence", "export", Id(request), "--store", Store, "-o", package);
        using var zip = System.IO.Compression.ZipFile.OpenRead(package);
        return (Run("evidence", "verify", package, "--trust", Path.Combine(Store, "trust.json")), new StreamReader(zip.GetEntry("summary.md")!.Open()).ReadToEnd());
    }

    protected static string Digest(string text) => Storage.Sha256Digest.Of(Encoding.UTF8.GetBytes(text)).ToString();

    /// <summary>The failed execution of <paramref name="request"/> as the log holds it (after its run's start).</summary>
    protected LoggedPredicate<ExecutionPredicate> FailedExecution(StatementRef request) =>
        new StatementLedger(Releases.ReleaseStore.Open(Store).Value).Referring<ExecutionPredicate>(request, StatementKinds.Execution).Value.Single(e => e.Predicate.Outcome == "failed");
}

/// <summary>
/// Where the policy lets an operator's amendment stand alone, a failed execution continues with the corrected runbook,
/// but only through an amendment that counts, names this request's failed execution and the runbook it ran; one that
/// does not hold, or a stored runbook edited on disk, stops the resume naming why, and nothing runs.
/// </summary>
public sealed class RunbookAmendmentTests : AmendmentFixture
{
    protected override string PolicyExtra => "\namendments: { allow: operator }\n";

    [Fact]
    public void An_operators_amendment_lets_the_resume_run_the_corrected_runbook_and_the_failure_says_so()
    {
        var (request, failed) = FailedByItsRunbook();

        var amended = Amend(request);
        var resumed = Resume(request);

        Assert.Equal(ExitCodes.VerificationFailed, failed.ExitCode);
        Assert.Contains($"'rollproof rollback amend {request} --runbook FILE --reason TEXT'", failed.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, amended.ExitCode);
        Assert.True(resumed.ExitCode == ExitCodes.Ok, resumed.Error);
        Assert.Equal(["announced", "rolled"], File.ReadAllLines(Out));
        var (verified, summary) = ExportAndVerify(request);
        Assert.Equal(ExitCodes.Ok, verified.ExitCode);
        Assert.Contains("runbook amended after execution", summary, StringComparison.Ordinal);
        Assert.Contains("> the version was typed 1.O", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void An_amendment_is_refused_when_nothing_failed_or_the_signer_is_no_operator()
    {
        var request = Approved();
        var nothingFailed = Amend(request);
        Execute(request, Runbook("1.O"));
        var byApprover = Amend(request, key: "carol");

        Assert.Equal(ExitCodes.InputError, nothingFailed.ExitCode);
        Assert.Contains("no failed execution to amend", nothingFailed.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.VerificationFailed, byApprover.ExitCode);
        Assert.Contains("carol is not an operator", byApprover.Error, StringComparison.Ordinal);
    }

    public enum Forgery { UntrustedKey, ApproversKey, AnotherExecution, NotTheStoredRunbook, RunbookNotItsDigest }

    [Theory]
    [InlineData(Forgery.UntrustedKey, "not counted")]
    [InlineData(Forgery.ApproversKey, "not counted")]
    [InlineData(Forgery.AnotherExecution, "which is no earlier execution of request")]
    [InlineData(Forgery.NotTheStoredRunbook, "but the runbook before it is")]
    [InlineData(Forgery.RunbookNotItsDigest, "carries a runbook whose digest is not")]
    public async Task A_resume_refuses_an_amendment_that_does_not_hold_and_runs_nothing(Forgery forgery, string message)
    {
        var (request, _) = FailedByItsRunbook();
        var requestRef = StatementRef.Of(request, LogEntry(request));
        var execution = FailedExecution(requestRef);
        var corrected = File.ReadAllText(Runbook("1.0"));
        var predicate = new AmendmentPredicate(requestRef, forgery == Forgery.AnotherExecution ? requestRef : execution.Ref, execution.Predicate.RunbookDigest, Digest(corrected), "forged", corrected);
        predicate = forgery switch
        {
            Forgery.NotTheStoredRunbook => predicate with { OldRunbookDigest = Digest("name: other\n") },
            Forgery.RunbookNotItsDigest => predicate with { Runbook = corrected.Replace("1.0", "1.1", StringComparison.Ordinal) },
            _ => predicate,
        };
        using var mallory = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var signer = forgery switch { Forgery.UntrustedKey => mallory, Forgery.ApproversKey => Keys["carol"], _ => Keys["ops"] };
        await AppendRawAsync(RequestStatement.About(requestRef, StatementKinds.RollbackAmendment, predicate), signer);

        var resumed = Resume(request);

        Assert.Equal(ExitCodes.VerificationFailed, resumed.ExitCode);
        Assert.Contains("RP2630", resumed.Error, StringComparison.Ordinal);
        Assert.Contains(message, resumed.Error, StringComparison.Ordinal);
        Assert.Equal(["announced"], File.ReadAllLines(Out));
        // A trusted operator's amendment that does not hold is no evidence package's part: export names it and stops.
        if (signer == Keys["ops"])
            Assert.Contains("-rollback-amendment.dsse.json: ", Run("evidence", "export", Id(request), "--store", Store, "-o", Dir.Combine("evidence.zip")).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stored_runbook_edited_on_disk_is_not_resumed()
    {
        var (request, _) = FailedByItsRunbook();
        File.Copy(Runbook("1.0"), Path.Combine(Store, ".rollproof", "executions", Id(request), "runbook.yaml"), overwrite: true);

        var resumed = Resume(request);

        Assert.Equal(ExitCodes.VerificationFailed, resumed.ExitCode);
        Assert.Contains("it was changed after the run", resumed.Error, StringComparison.Ordinal);
        Assert.Equal(["announced"], File.ReadAllLines(Out));
    }

}

