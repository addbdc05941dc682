using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Trust;

namespace Rollproof.Runbooks;

/// <summary>
/// A statement about a rollback request (its execution, notifications, report): its subject is the request's log
/// entry, named <c>request:INDEX</c> with the entry's SHA-256, so the statement cannot be moved to another request.
/// </summary>
public static class RequestStatement
{
    public static InTotoStatement About<T>(StatementRef request, string kind, T predicate) => new(
        [StatementSubjects.For("request:", request)],
        StatementKinds.PredicateType(kind), PredicateJson.Write(predicate));
}
