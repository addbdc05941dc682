namespace Rollproof.Runbooks;

/// <summary>An admin's logged decision to release an environment's rollback lock held by an execution that will not be resumed, and why.</summary>
public sealed record LockOverridePredicate(string Environment, string Holder, string Reason);
