using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Rollproof.Storage;

namespace Rollproof.Server.Ledger;

/// <summary>The query string every ledger list takes, as bound for the OpenAPI document; <see cref="LedgerQuery.Parse"/> checks it.</summary>
public sealed class LedgerQueryParameters
{
    /// <summary>Only statements about this application (statements about a request take its app).</summary>
    [FromQuery(Name = "app")] public string? App { get; init; }

    /// <summary>Only statements about this environment.</summary>
    [FromQuery(Name = "environment")] public string? Environment { get; init; }

    /// <summary>Only statements whose own digest, a subject's digest or a file they name (artifact, SBOM, script) is this sha256 digest.</summary>
    [FromQuery(Name = "digest")] public string? Digest { get; init; }

    /// <summary>Only statements signed by this actor: the signing key's name in the trust the log establishes.</summary>
    [FromQuery(Name = "actor")] public string? Actor { get; init; }

    /// <summary>Only statements the log timestamped at or after this RFC 3339 time.</summary>
    [FromQuery(Name = "since")] public string? Since { get; init; }

    /// <summary>Only statements the log timestamped before this RFC 3339 time.</summary>
    [FromQuery(Name = "until")] public string? Until { get; init; }

    /// <summary>At most this many entries per page (1 to 500, default 50).</summary>
    [FromQuery(Name = "pageSize")] public string? PageSize { get; init; }

    /// <summary>The nextPageToken of the previous page.</summary>
    [FromQuery(Name = "pageToken")] public string? PageToken { get; init; }
}

/// <summary>A checked ledger query: the filters, the page size, and the log index the page starts scanning at.</summary>
public sealed partial record LedgerQuery(string? App, string? Environment, string? Digest, string? Actor, DateTimeOffset? Since, DateTimeOffset? Until, int PageSize, long From)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;
    private const int MaxValueLength = 256;

    private static readonly string[] Known = ["app", "environment", "digest", "actor", "since", "until", "pageSize", "pageToken"];

    /// <summary>Whether the query filters on what statements say (not only on time): entries that do not count are then not listed, since what they say is never read.</summary>
    public bool FiltersContent => App is not null || Environment is not null || Digest is not null || Actor is not null;

    /// <summary>The query, or the problems with it, each under the parameter's name. Unknown and repeated parameters are problems too: a misspelt filter must not widen the answer.</summary>
    public static (LedgerQuery? Query, Dictionary<string, string[]> Errors) Parse(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, values) in query)
        {
            if (!Known.Contains(name, StringComparer.Ordinal))
                errors[name] = [$"unknown parameter; the ledger takes {string.Join(", ", Known)}"];
            else if (values.Count != 1)
                errors[name] = ["given more than once"];
            else if (values[0] is not { Length: > 0 and <= MaxValueLength })
                errors[name] = [$"must be 1 to {MaxValueLength} characters"];
        }
        string? Text(string name) => !errors.ContainsKey(name) && query.TryGetValue(name, out var value) ? value[0] : null;
        var digest = Text("digest") is { } d ? Sha256Digest.Parse(d) is { IsOk: true } parsed ? parsed.Value.ToString() : Error("digest", "not a sha256 digest (sha256: and 64 lowercase hex digits)") : null;
        var since = Time("since");
        var until = Time("until");
        if (since is not null && until is not null && until <= since)
            Error("until", "must come after since");
        var size = DefaultPageSize;
        if (Text("pageSize") is { } s && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
            Error("pageSize", $"must be a whole number from 1 to {MaxPageSize}");
        long from = 0;
        if (Text("pageToken") is { } token)
        {
            if (PageToken.Parse(token) is { } next)
                from = next;
            else
                Error("pageToken", "not a page token this server issued");
        }
        return errors.Count > 0 ? (null, errors) : (new LedgerQuery(Text("app"), Text("environment"), digest, Text("actor"), since, until, size, from), errors);

        string? Error(string name, string message)
        {
            errors[name] = [message];
            return null;
        }

        DateTimeOffset? Time(string name)
        {
            if (Text(name) is not { } text)
                return null;
            if (Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
                return time;
            Error(name, "not an RFC 3339 time, e.g. 2026-12-06T22:30:00Z");
            return null;
        }
    }

    // RFC 3339 date-time: a full date, a time with seconds, an optional fraction and a zone (Z or an offset).
    [GeneratedRegex(@"\A[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
