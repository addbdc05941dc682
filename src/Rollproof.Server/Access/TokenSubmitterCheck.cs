using Microsoft.AspNetCore.Http;
using Rollproof.Common;
using Rollproof.Ledger;

namespace Rollproof.Server.Access;

/// <summary>A token submits only what its actor's own key may sign: a statement signed by anyone else's key is refused, however valid.</summary>
public sealed class TokenSubmitterCheck : ISubmitterCheck
{
    // No refusal (null) admits: only a missing actor is refused here, never an actor whose key may sign.
    public Problem? Check(HttpContext http, VerifiedSigner signer) => ActorContext.Of(http) is { } actor
        ? actor.SignRefusal(signer.KeyId, signer.Kind)
        : new Problem(ErrorCodes.TokenMissing, "a submission needs the token of the actor whose key signed it");
}
