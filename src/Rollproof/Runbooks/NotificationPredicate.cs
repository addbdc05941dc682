using Rollproof.Ledger;
using Rollproof.Trust;

namespace Rollproof.Runbooks;

/// <summary>
/// What one audience was told during a rollback (<c>phase</c>: internal, customers, regulators, …), logged by the
/// operator as soon as it was delivered, so the log's signed timestamp says when: the exact text, its digest, and the
/// channel (<c>webhook https://host</c> or <c>file PATH</c>). A webhook is named by scheme and host only, since the
/// rest of its URL is often its secret.
/// </summary>
public sealed record NotificationPredicate(StatementRef Request, string Phase, string Message, string MessageDigest, string Channel);
