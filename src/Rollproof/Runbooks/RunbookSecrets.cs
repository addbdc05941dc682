using System.Text.RegularExpressions;
using Rollproof.Common;

namespace Rollproof.Runbooks;

/// <summary>
/// Keeps secrets out of what an execution stores (its runbook, journal, logged statements and evidence packages): a
/// runbook whose parameters hold a credential written inline (a URL with <c>user:password@</c>, a query parameter
/// such as <c>password=</c> or <c>token=</c>) is refused before anything is stored or logged, naming the step and the
/// field but not the value. Secrets are given by reference (<see cref="SecretReference"/>) in the fields that take one.
/// </summary>
public static partial class RunbookSecrets
{
    /// <summary>The parameters that take a secret reference: a notify step's webhook, a database password.</summary>
    public static readonly IReadOnlySet<string> Fields = new HashSet<string>(["webhook", "password"], StringComparer.Ordinal);

    public static Problem? Check(Runbook runbook)
    {
        foreach (var step in runbook.Steps)
            foreach (var (field, value) in step.With)
            {
                if (InlineCredential(value) is { } inline)
                    return new Problem(ErrorCodes.SecretInline, $"step '{step.Id}', field '{field}': a credential is written inline ({inline}); the runbook would keep it. {SecretReference.Rule}: see docs/runbooks.md, \"Secrets\"");
                if (Fields.Contains(field) && SecretReference.Looks(value) && SecretReference.Parse(value, $"step '{step.Id}', field '{field}'") is { IsOk: false } wrong)
                    return wrong.Problem;
            }
        return null;
    }

    /// <summary>What kind of credential <paramref name="value"/> holds written inline, or null; never the credential itself.</summary>
    public static string? InlineCredential(string value) =>
        UserPassword().IsMatch(value) ? "a URL with user:password@"
        : QueryCredential().Match(value) is { Success: true } query ? $"a '{query.Groups[1].Value}=' query parameter"
        : null;

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:]*:[^\s/@]*@")]
    private static partial Regex UserPassword();

    [GeneratedRegex(@"[?&;](password|passwd|pwd|token|access_token|api_key|apikey|api-key|secret|client_secret)=", RegexOptions.IgnoreCase)]
    private static partial Regex QueryCredential();
}
