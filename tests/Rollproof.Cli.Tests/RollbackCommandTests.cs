using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Cli.Infrastructure;
using Rollproof.Signing;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// Governed rollbacks end to end through the command line: a request with its security analysis, approvals by two
/// people and a security approver, a refused self-approval, a replayed and a tampered approval that do not count, and
/// an emergency whose review falls overdue.
/// </summary>
public sealed class RollbackCommandTests : GovernedStoreTests
{
    [Fact]
    public void A_request_carries_its_risk_and_is_approved_by_two_people_and_a_security_approver()
    {
        var filed = Request("alice");
        var request = filed.GetProperty("logIndex").GetInt64();

        var codes = filed.GetProperty("risk").GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        Assert.Contains("crypto.signature-algorithm-changed", codes);
        Assert.Contains("vulnerability.reintroduced", codes);
        Assert.Equal("GHSA-35jh-r3h4-6jhm (CVE-2021-23337)", filed.GetProperty("reintroducedVulnerabilities")[0].GetString());
        Assert.Equal("high", filed.GetProperty("risk").GetProperty("level").GetString());
        Assert.Equal(["distinct-approvers", "security-approver"], Unmet(filed.GetProperty("decision")));
        var assessment = Storage.Sha256Digest.Parse(filed.GetProperty("assessmentDigest").GetString()!).Value;
        var stored = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Store, "artifacts", "sha256", assessment.Hex[..2], assessment.Hex))).RootElement;
        Assert.Equal(codes.Count, stored.GetProperty("findings").GetArrayLength());

        var self = Decide("approve", request, "alice");
        Assert.Equal(ExitCodes.VerificationFailed, self.ExitCode);
        Assert.Contains("may not approve or reject it (no self-approval)", self.Error, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Ok, Decide("approve", request, "carol", "--condition", "after the 18:00 freeze").ExitCode);
        Assert.Equal(ExitCodes.Ok, Decide("approve", request, "dave").ExitCode);
        var pending = Status(request);
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal(["security-approver"], Unmet(pending));

        Assert.Equal(ExitCodes.Ok, Decide("approve", request, "erin", "--expires-in", "24h").ExitCode);
        var approved = Status(request);
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.Equal(["carol", "dave", "erin"], approved.GetProperty("countedApprovers").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("carol: after the 18:00 freeze", approved.GetProperty("conditions")[0].GetString());
        var afterExpiry = Status(request, "--at", DateTimeOffset.UtcNow.AddDays(2).ToString("O")); // erin's approval has expired by then
        Assert.Equal(["security-approver"], Unmet(afterExpiry));

        var text = Ok("rollback", "status", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--state", State).Out;
        Assert.Contains("decision: approved", text, StringComparison.Ordinal);

        var live = IndexDump.Of(Store);
        Ok("index", "rebuild", "--store", Store);
        Assert.Equal(live, IndexDump.Of(Store));
        Assert.Contains("rollback request for doc-signer in prod: 1.1 to 1.0", live, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replayed_approval_is_taken_once_and_a_tampered_one_does_not_count()
    {
        var first = Request("alice").GetProperty("logIndex").GetInt64();
        var second = Request("bob").GetProperty("logIndex").GetInt64();
        var approval = JsonDocument.Parse(Decide("approve", first, "carol").Out).RootElement.GetProperty("logIndex").GetInt64();
        var envelope = LogEntry(approval);

        File.WriteAllBytes(Dir.Combine("replay.json"), envelope);
        var replayed = JsonDocument.Parse(Ok("log", "append", Path.Combine(Store, "log"), Dir.Combine("replay.json"), "--json").Out).RootElement;
        Assert.Equal(approval, replayed[0].GetProperty("index").GetInt64());

        // The same signature over a statement moved to the second request: the signature no longer verifies.
        var moved = JsonNode.Parse(envelope)!;
        var statement = JsonNode.Parse(Convert.FromBase64String(moved["payload"]!.GetValue<string>()))!;
        var secondDigest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(LogEntry(second)));
        statement["predicate"]!["subject"]!["logIndex"] = second;
        statement["predicate"]!["subject"]!["digest"] = "sha256:" + secondDigest;
        statement["subject"]![0]!["name"] = $"statement:{second}";
        statement["subject"]![0]!["digest"]!["sha256"] = secondDigest;
        moved["payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(statement.ToJsonString()));
        File.WriteAllText(Dir.Combine("tampered.json"), moved.ToJsonString());
        Ok("log", "append", Path.Combine(Store, "log"), Dir.Combine("tampered.json"));

        var decision = Status(second);
        Assert.Equal(0, decision.GetProperty("countedApprovers").GetArrayLength());
        Assert.Contains(decision.GetProperty("ignoredApprovals").EnumerateArray(), i => i.GetString()!.Contains("(approval) not counted: signed by no key of the trust file", StringComparison.Ordinal));
        Assert.Equal(["carol"], Status(first).GetProperty("countedApprovers").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public void An_emergency_breaks_glass_without_approvals_and_its_review_falls_overdue()
    {
        var filed = Request("bob", "--emergency");
        var request = filed.GetProperty("logIndex").GetInt64();
        Assert.Equal("approved", filed.GetProperty("decision").GetProperty("status").GetString());
        Assert.True(filed.GetProperty("decision").GetProperty("breakGlass").GetBoolean());

        var later = DateTimeOffset.UtcNow.AddHours(49).ToString("O");
        Assert.True(Status(request, "--at", later).GetProperty("review").GetProperty("overdue").GetBoolean());
        var overdue = Run("rollback", "list", "--store", Store, "--overdue", "--at", later, "--state", State, "--json");
        Assert.Equal(ExitCodes.VerificationFailed, overdue.ExitCode);
        Assert.Equal(request, JsonDocument.Parse(overdue.Out).RootElement[0].GetProperty("request").GetInt64());
        Assert.False(Status(request).GetProperty("review").GetProperty("overdue").GetBoolean());
        Assert.Equal(ExitCodes.VerificationFailed, Run("rollback", "review", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--outcome", "accepted", "--comment", "fine", "--key", Key("bob")).ExitCode);
        Ok("rollback", "review", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--outcome", "accepted", "--comment", "algorithm regression confirmed", "--key", Key("carol"));
        var reviewed = Status(request, "--at", later).GetProperty("review");
        Assert.Equal("carol", reviewed.GetProperty("reviewer").GetString());
        Assert.False(reviewed.GetProperty("overdue").GetBoolean());
        Assert.Equal(ExitCodes.Ok, Run("rollback", "list", "--store", Store, "--overdue", "--at", later, "--state", State).ExitCode);

        var notAllowed = Run("rollback", "request", "--store", Store, "--env", "prod", "--to", "1.0", "--reason", "other", "--rationale", "r", "--ticket", "INC-1", "--emergency", "--key", Key("alice"), "--state", State);
        Assert.Equal(ExitCodes.VerificationFailed, notAllowed.ExitCode);
        Assert.Contains("may not break glass", notAllowed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_review_logged_after_the_deadline_closes_it_late_and_it_is_no_longer_overdue()
    {
        var request = Request("bob", "--emergency").GetProperty("logIndex").GetInt64();
        var afterDeadline = DateTimeOffset.UtcNow.AddHours(49);
        var logged = await Rollbacks.ApprovalLedger.ReviewAsync(Releases.ReleaseStore.Open(Store).Value, request, "accepted", "late, but the regression is confirmed", Keys["carol"], new FixedClock(afterDeadline));
        Assert.True(logged.IsOk);

        var review = Status(request, "--at", afterDeadline.AddHours(1).ToString("O")).GetProperty("review");

        Assert.False(review.GetProperty("overdue").GetBoolean());
        Assert.True(review.GetProperty("late").GetBoolean());
        Assert.Equal(ExitCodes.Ok, Run("rollback", "list", "--store", Store, "--overdue", "--at", afterDeadline.AddHours(1).ToString("O"), "--state", State).ExitCode);
    }

    [Fact]
    public void A_review_says_when_it_was_logged_as_a_time_and_where_by_its_log_index()
    {
        var request = Request("bob", "--emergency").GetProperty("logIndex").GetInt64();
        var logged = JsonDocument.Parse(Ok("rollback", "review", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--outcome", "accepted", "--comment", "fine", "--key", Key("carol"), "--json").Out).RootElement;

        var review = Status(request).GetProperty("review");

        Assert.Equal(logged.GetProperty("loggedAt").GetDateTimeOffset(), review.GetProperty("reviewedAt").GetDateTimeOffset());
        Assert.Equal(logged.GetProperty("logIndex").GetInt64(), review.GetProperty("reviewIndex").GetInt64());
    }

    [Fact]
    public void A_request_that_cannot_be_made_is_refused_before_anything_is_logged()
    {
        var checkpoint = File.ReadAllText(Path.Combine(Store, "log", "checkpoint"));

        var neverDeployed = Run("rollback", "request", "--store", Store, "--env", "prod", "--to", "0.9", "--reason", "other", "--rationale", "r", "--ticket", "INC-1", "--key", Key("alice"), "--state", State);
        var current = Run("rollback", "request", "--store", Store, "--env", "prod", "--to", "1.1", "--reason", "other", "--rationale", "r", "--ticket", "INC-1", "--key", Key("alice"), "--state", State);
        var badReason = Run("rollback", "request", "--store", Store, "--env", "prod", "--to", "1.0", "--reason", "because", "--rationale", "r", "--ticket", "INC-1", "--key", Key("alice"));
        var notRequester = Run("rollback", "request", "--store", Store, "--env", "prod", "--to", "1.0", "--reason", "other", "--rationale", "r", "--ticket", "INC-1", "--key", Key("carol"), "--state", State);

        Assert.Equal(ExitCodes.InputError, neverDeployed.ExitCode);
        Assert.Contains("never deployed to prod before 1.1", neverDeployed.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputError, current.ExitCode);
        Assert.Equal(ExitCodes.Usage, badReason.ExitCode);
        Assert.Equal(ExitCodes.VerificationFailed, notRequester.ExitCode);
        Assert.Equal(checkpoint, File.ReadAllText(Path.Combine(Store, "log", "checkpoint")));
    }

    [Fact]
    public void Once_an_environment_has_a_policy_only_its_operators_record_deployments_there()
    {
        var refused = Run("deploy", "record", "--store", Store, "--env", "prod", "--app", "doc-signer", "--version", "1.0", "--key", Key("carol"), "--state", State);
        var elsewhere = Run("deploy", "record", "--store", Store, "--env", "staging", "--app", "doc-signer", "--version", "1.0", "--key", Key("ops"), "--state", State);

        Assert.Equal(ExitCodes.VerificationFailed, refused.ExitCode);
        Assert.Contains("carol is not an operator in prod", refused.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, elsewhere.ExitCode);
    }

    [Fact]
    public void A_target_whose_signing_key_was_revoked_since_is_refused_whatever_the_approvals()
    {
        var trustBefore = File.ReadAllText(Path.Combine(Store, "trust.json"));
        var notAdmin = Run("trust", "revoke", "--store", Store, "--name", "ci", "--key", Key("carol"));
        Assert.Equal(ExitCodes.VerificationFailed, notAdmin.ExitCode);
        Assert.Equal(trustBefore, File.ReadAllText(Path.Combine(Store, "trust.json")));

        Ok("trust", "revoke", "--store", Store, "--name", "ci", "--key", Key("root"));
        var filed = Request("alice");
        var request = filed.GetProperty("logIndex").GetInt64();
        Decide("approve", request, "carol");
        Decide("approve", request, "dave");
        Decide("approve", request, "erin");

        Assert.Contains(filed.GetProperty("risk").GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "integrity.signer-key-revoked");
        var decision = Status(request);
        Assert.Equal("refused", decision.GetProperty("status").GetString());
        Assert.Equal(["target-integrity"], Unmet(decision));
        Assert.Contains(JsonDocument.Parse(Ok("query", "actor", "root", "--store", Store, "--json").Out).RootElement.EnumerateArray(),
            e => e.GetProperty("summary").GetString()!.StartsWith("key ci revoked from", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_is_trusted_through_a_logged_key_change()
    {
        using var frank = PrivateKey.Generate(KeyAlgorithm.Ed25519);
        File.WriteAllText(Dir.Combine("frank.pub"), frank.PublicKey.ToPem());

        var added = Ok("trust", "add", "--store", Store, "--name", "frank", "--public-key", Dir.Combine("frank.pub"), "--kind", "approval", "--kind", "review", "--key", Key("root"), "--json");
        var again = Run("trust", "add", "--store", Store, "--name", "frank", "--public-key", Dir.Combine("frank.pub"), "--kind", "approval", "--key", Key("root"));

        var trust = TrustFile.Parse(File.ReadAllBytes(Path.Combine(Store, "trust.json"))).Value;
        Assert.Equal(frank.PublicKey.KeyId, trust.Keys.Single(k => k.Name == "frank").Key.KeyId);
        Assert.Equal(ExitCodes.InputError, again.ExitCode);
        var index = JsonDocument.Parse(added.Out).RootElement.GetProperty("logIndex").GetInt64();
        Assert.Contains(JsonDocument.Parse(Ok("query", "actor", "root", "--store", Store, "--json").Out).RootElement.EnumerateArray(),
            e => e.GetProperty("logIndex").GetInt64() == index && e.GetProperty("kind").GetString() == "key-change");
    }
}
