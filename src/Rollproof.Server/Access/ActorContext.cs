using System.Reflection;
using Microsoft.AspNetCore.Http;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Server.Access;

/// <summary>
/// Who is calling, as the access checks established from the request's token: the trust name it acts as and that
/// name's key in the trust now (none for an auditor). An endpoint that takes an <see cref="ActorContext"/> parameter
/// gets it bound from the request; on an endpoint declared <see cref="EndpointAccess.Actor"/> it always has a key.
/// </summary>
public sealed class ActorContext(string name, TrustedKey? key, bool auditor)
{
    /// <summary>The trust name the token acts as.</summary>
    public string Name { get; } = name;

    /// <summary>The name's key in the trust the log establishes now; null for an auditor, who signs nothing.</summary>
    public TrustedKey? Key { get; } = key;

    public bool Auditor { get; } = auditor;

    /// <summary>The kinds of statement this actor's key may sign now (none for an auditor).</summary>
    public IReadOnlySet<string> Kinds => Key?.Kinds ?? new HashSet<string>();

    /// <summary>
    /// Whether what this token submits may carry a signature by <paramref name="keyId"/> for <paramref name="kind"/>:
    /// only the actor's own key, and only for a kind the trust lets it sign. A token never submits for someone else's
    /// key, even one the trust allows. The signature itself is still verified by the endpoint, before anything is logged.
    /// </summary>
    public bool MaySign(string keyId, string kind) => Key is { } key && key.Key.KeyId == keyId && key.Kinds.Contains(kind);

    /// <summary>
    /// Why this actor may not submit a signature by <paramref name="keyId"/> for <paramref name="kind"/> (RP2745, a
    /// 403), or null when it may (<see cref="MaySign"/>).
    /// </summary>
    public Problem? SignRefusal(string keyId, string kind) => MaySign(keyId, kind) ? null : new Problem(ErrorCodes.ActorMayNotSign,
        Key is null
            ? $"'{Name}' signs nothing (an auditor's token): it cannot submit a {kind} statement"
            : Key.Key.KeyId != keyId
                ? $"the token of '{Name}' submits only what its own key ({Key.Key.KeyId}) signs, not a statement signed by key {keyId}"
                : $"'{Name}' may sign {string.Join(", ", Key.Kinds.Order(StringComparer.Ordinal))}, not {kind}");

    /// <summary>The caller the access checks found for this request, or null when it gave no valid token.</summary>
    public static ActorContext? Of(HttpContext http) => http.Features.Get<ActorContext>();

    /// <summary>Binds an endpoint's <see cref="ActorContext"/> parameter; null (a 400) only on an endpoint that admits anonymous callers.</summary>
    public static ValueTask<ActorContext?> BindAsync(HttpContext http, ParameterInfo parameter) => ValueTask.FromResult(Of(http));
}
