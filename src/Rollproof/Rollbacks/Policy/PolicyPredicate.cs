using Rollproof.Ledger;
using Rollproof.Trust;

namespace Rollproof.Rollbacks.Policy;

/// <summary>
/// A rollback policy as a logged statement: the environment and the exact YAML text, so what was signed is what is
/// enforced. <paramref name="Replaces"/> names the policy it changes (null for an environment's first policy); a change
/// takes effect only once the admins the replaced policy names have approved it.
/// </summary>
public sealed record PolicyPredicate(string Environment, string Yaml, StatementRef? Replaces);
