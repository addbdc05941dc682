using Rollproof.Releases;

namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// The target's integrity: a verification failure or a signing key revoked since is critical, and refuses the
/// rollback whatever the approvals; a key merely rotated out since is fine (it is judged by its window when it signed).
/// </summary>
internal static class IntegrityFindings
{
    public static IEnumerable<RiskFinding> Find(TargetIntegrity integrity, ReleasePredicate target)
    {
        if (integrity.Verification is { } problem)
            yield return RiskFinding.Of(RiskCodes.VerificationFailed, Severity.Critical, $"{target.App} {target.Version} fails verification: {problem.Message}", ("code", problem.Code));
        switch (integrity.SignerKeyNow)
        {
            case KeyStatus.Revoked:
                yield return RiskFinding.Of(RiskCodes.SignerKeyRevoked, Severity.Critical, $"the key that signed {target.App} {target.Version} ({integrity.Signer}) has been revoked since", ("signer", integrity.Signer ?? ""));
                break;
            case KeyStatus.Rotated:
                yield return RiskFinding.Of(RiskCodes.SignerKeyRotated, Severity.Info, $"the key that signed {target.App} {target.Version} ({integrity.Signer}) has been rotated out since; it was valid when it signed", ("signer", integrity.Signer ?? ""));
                break;
        }
    }
}
