using System.Text.RegularExpressions;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Rollbacks.Risk;

namespace Rollproof.Rollbacks.Policy;

/// <summary>
/// Reads a rollback policy from YAML. Strict: unknown keys, wrong kinds and out-of-range values are errors naming
/// the line and the setting; anything left out takes the safe default (two approvers, no self-approval, a security
/// approver from high risk, no emergency bypass).
/// </summary>
/// <example>
/// <code>
/// environment: prod
/// roles:
///   requesters: [alice, bob]
///   approvers: [carol, dave, erin]
///   securityApprovers: [erin]
///   operators: [ops]
///   auditors: [audit]
///   admins: [root]
/// approvals: { required: 2, allowSelfApproval: false, securityApproverFrom: high, securityApproverForSecurityFindings: true }
/// target: { maxAge: 90d }
/// evidence: { ticketPattern: '^INC-[0-9]+$', testResults: required }
/// emergency: { breakGlass: [alice], approvals: 0, reviewWithin: 48h, reviewers: [carol, erin] }
/// migrations: { allowSnapshotRestore: false }
/// policyChanges: { approvals: 1 }
/// amendments: { allow: approval, approvals: 2 }
/// </code>
/// </example>
public static class PolicyYaml
{
    public const int MaxSize = 1 << 20;

    private static readonly (string Key, RollbackRole Role)[] RoleKeys =
    [
        ("requesters", RollbackRole.Requester), ("approvers", RollbackRole.Approver), ("securityApprovers", RollbackRole.SecurityApprover),
        ("operators", RollbackRole.Operator), ("auditors", RollbackRole.Auditor), ("admins", RollbackRole.Admin),
    ];

    public static Result<RollbackPolicy> Parse(string yaml) => Parse(yaml, proposed: false);

    /// <summary>
    /// As <see cref="Parse"/>, and a quorum the people listed can never meet (<see cref="PolicyQuorum"/>) is refused too:
    /// checked when a policy is proposed, not when a logged one is read, so a policy an older version logged still
    /// governs (its requests stay pending, as they always would have, and its emergencies still work).
    /// </summary>
    public static Result<RollbackPolicy> ParseProposed(string yaml) => Parse(yaml, proposed: true);

    private static Result<RollbackPolicy> Parse(string yaml, bool proposed)
    {
        var root = YamlFields.Load(yaml, MaxSize, "policy", ErrorCodes.PolicyInvalid);
        if (!root.IsOk)
            return root.Problem;
        try
        {
            return Result<RollbackPolicy>.Ok(Read(root.Value, proposed));
        }
        catch (YamlFieldException e)
        {
            return Fail(e.Message);
        }
    }

    private static RollbackPolicy Read(YamlFields root, bool proposed)
    {
        var environment = root.Text("environment", required: true)!;
        if (!Names.IsValid(environment))
            throw new YamlFieldException($"environment: '{environment}': {Names.Rule}");
        var roles = ReadRoles(root.Section("roles"));
        var approvalsSection = root.Section("approvals");
        var approvals = ReadApprovals(approvalsSection);
        var target = new TargetRules(Within(root.Section("target"), f => f.Duration("maxAge", Durations.PolicyWindow)));
        var evidence = ReadEvidence(root.Section("evidence"));
        var emergencySection = root.Section("emergency");
        var emergency = ReadEmergency(emergencySection);
        var migrations = new MigrationRules(Within(root.Section("migrations"), f => (bool?)f.Flag("allowSnapshotRestore", false)) ?? false);
        var changesSection = root.Section("policyChanges");
        var changes = new PolicyChangeRules(Within(changesSection, f => (int?)f.Integer("approvals", 1, 0, 100)) ?? 1);
        var amendments = Within(root.Section("amendments"), ReadAmendments) ?? AmendmentRules.Default;
        root.RejectUnknown();
        var policy = new RollbackPolicy(environment, roles, approvals, target, evidence, emergency, migrations, changes) { Amendments = amendments };
        if (proposed && PolicyQuorum.Unmet(policy) is var (setting, why))
        {
            var (section, key, fallback) = setting switch
            {
                "emergency.approvals" => (emergencySection, "approvals", policy.Emergency.Approvals),
                "policyChanges.approvals" => (changesSection, "approvals", changes.Approvals),
                _ => (approvalsSection, "required", approvals.Required),
            };
            throw section?.ErrorAt(key, why) ?? root.ErrorAt("roles", $"{setting} (default {fallback}): {why}");
        }
        return policy;
    }

    private static IReadOnlyDictionary<RollbackRole, IReadOnlySet<string>> ReadRoles(YamlFields? section) =>
        Within(section, f => RoleKeys.ToDictionary(r => r.Role, r => f.People(r.Key)))
        ?? RoleKeys.ToDictionary(r => r.Role, IReadOnlySet<string> (_) => new HashSet<string>(StringComparer.Ordinal));

    private static ApprovalRules ReadApprovals(YamlFields? section) =>
        Within(section, f => new ApprovalRules(
            f.Integer("required", 2, 0, 100),
            f.Flag("allowSelfApproval", false),
            Level(f, "securityApproverFrom") ?? RiskLevel.High,
            f.Flag("securityApproverForSecurityFindings", true)))
        ?? new ApprovalRules(2, false, RiskLevel.High, true);

    private static EvidenceRules ReadEvidence(YamlFields? section) =>
        Within(section, f => new EvidenceRules(Pattern(f, "ticketPattern"), f.Text("testResults") switch
        {
            null or "optional" => false,
            "required" => true,
            var other => throw new YamlFieldException($"evidence.testResults: '{other}' is neither required nor optional"),
        }))
        ?? new EvidenceRules(null, false);

    private static EmergencyRules ReadEmergency(YamlFields? section) =>
        Within(section, f => new EmergencyRules(
            f.People("breakGlass"),
            f.Integer("approvals", 1, 0, 100),
            f.Duration("reviewWithin", Durations.PolicyWindow) ?? TimeSpan.FromHours(24),
            f.People("reviewers")))
        ?? new EmergencyRules(new HashSet<string>(StringComparer.Ordinal), 1, TimeSpan.FromHours(24), new HashSet<string>(StringComparer.Ordinal));

    private static AmendmentRules ReadAmendments(YamlFields fields) => new(fields.Text("allow") switch
    {
        null or "approval" => false,
        "operator" => true,
        var other => throw fields.ErrorAt("allow", $"'{other}' is not operator or approval"),
    }, fields.Text("approvals") is null ? null : fields.Integer("approvals", 0, 1, 100));

    private static RiskLevel? Level(YamlFields fields, string key) => fields.Text(key) switch
    {
        null => null,
        "low" => RiskLevel.Low,
        "medium" => RiskLevel.Medium,
        "high" => RiskLevel.High,
        "critical" => RiskLevel.Critical,
        var other => throw new YamlFieldException($"approvals.{key}: '{other}' is not a risk level (low, medium, high, critical)"),
    };

    private static Regex? Pattern(YamlFields fields, string key)
    {
        var text = fields.Text(key);
        if (text is null)
            return null;
        try
        {
            // A timeout, because the pattern comes from a file and the ticket from a user.
            return new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException e)
        {
            throw new YamlFieldException($"evidence.{key}: '{text}' is not a regular expression: {e.Message}");
        }
    }

    // Reads a section's settings, then refuses any it did not read; an absent section gives the default.
    private static T? Within<T>(YamlFields? section, Func<YamlFields, T> read)
    {
        if (section is null)
            return default;
        var value = read(section);
        section.RejectUnknown();
        return value;
    }

    private static Result<RollbackPolicy> Fail(string message) => Result<RollbackPolicy>.Fail(ErrorCodes.PolicyInvalid, message);
}
