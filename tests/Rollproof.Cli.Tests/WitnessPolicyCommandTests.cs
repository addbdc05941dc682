using System.Globalization;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Signing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary><c>release verify</c> and <c>evidence verify</c> with <c>--tlog-policy</c>: no quorum of witnesses, no verification.</summary>
public sealed class WitnessPolicyCommandTests : GovernedStoreTests
{
    private readonly CosignatureV1Signer _witness = NoteKeys.GenerateCosigner("witness.example/w1", TimeProvider.System);

    private string Trust => Path.Combine(Store, "trust.json");

    private string Policy()
    {
        var path = Dir.Combine("tlog-policy");
        File.WriteAllText(path, $"log {ReleaseStore.Open(Store).Value.Log.Config.VerifierKey}\nwitness w1 {_witness.VerifierKey}\nquorum w1\n");
        return path;
    }

    // What a log server publishes once its witness has cosigned: the same checkpoint, one more signature line.
    private void Cosign()
    {
        var log = ReleaseStore.Open(Store).Value.Log;
        log.Storage.ReplaceCheckpoint(log.ReadCheckpoint().Value.Note.AddSignatures(_witness).ToBytes());
    }

    private Outcome VerifyRelease(params string[] more) =>
        Run(["release", "verify", "--store", Store, "--app", "doc-signer", "--version", "1.0", "--trust", Trust, "--state", State, "--offline", .. more]);

    [Fact]
    public void Release_verify_with_a_tlog_policy_refuses_a_checkpoint_its_witness_did_not_cosign_and_accepts_it_once_cosigned()
    {
        var policy = Policy();
        Assert.Equal(ExitCodes.Ok, VerifyRelease().ExitCode);

        var unwitnessed = VerifyRelease("--tlog-policy", policy);

        Assert.Equal(ExitCodes.VerificationFailed, unwitnessed.ExitCode);
        Assert.Contains(ErrorCodes.QuorumNotMet, unwitnessed.Error, StringComparison.Ordinal);
        Assert.Contains("quorum 'w1' is not met: w1; cosigned by no witness", unwitnessed.Error, StringComparison.Ordinal);
        Cosign();
        Assert.Equal(ExitCodes.Ok, VerifyRelease("--tlog-policy", policy).ExitCode);
    }

    [Fact]
    public void Evidence_verify_with_a_tlog_policy_needs_the_packages_checkpoint_cosigned()
    {
        var policy = Policy();
        var request = Request("alice").GetProperty("logIndex").GetInt64().ToString(CultureInfo.InvariantCulture);
        foreach (var approver in new[] { "carol", "dave" })
            Decide("approve", long.Parse(request, CultureInfo.InvariantCulture), approver);
        Ok("evidence", "export", request, "--store", Store, "-o", Dir.Combine("plain.zip"));
        Cosign();
        Ok("evidence", "export", request, "--store", Store, "-o", Dir.Combine("witnessed.zip"));

        var plain = Run("evidence", "verify", Dir.Combine("plain.zip"), "--trust", Trust, "--tlog-policy", policy);
        var witnessed = Run("evidence", "verify", Dir.Combine("witnessed.zip"), "--trust", Trust, "--tlog-policy", policy);

        Assert.Equal(ExitCodes.VerificationFailed, plain.ExitCode);
        Assert.Contains(ErrorCodes.QuorumNotMet, plain.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, witnessed.ExitCode);
    }

    [Fact]
    public void A_malformed_tlog_policy_is_an_unusable_input_naming_the_file_and_line()
    {
        File.WriteAllText(Dir.Combine("bad-policy"), "log not-a-key\nquorum none\n");

        var refused = VerifyRelease("--tlog-policy", Dir.Combine("bad-policy"));

        Assert.Equal(ExitCodes.InputError, refused.ExitCode);
        Assert.Contains(ErrorCodes.PolicyMalformed, refused.Error, StringComparison.Ordinal);
        Assert.Contains("bad-policy: line 1", refused.Error, StringComparison.Ordinal);
    }
}
