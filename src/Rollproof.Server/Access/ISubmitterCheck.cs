using Microsoft.AspNetCore.Http;
using Rollproof.Common;
using Rollproof.Ledger;

namespace Rollproof.Server.Access;

/// <summary>
/// Asked for every submitted statement once its signature and the trust for its kind are verified, before anything is
/// logged: a problem refuses the submission (nothing is written). The server's is <see cref="TokenSubmitterCheck"/>:
/// a token can submit only what its actor's keys may sign.
/// </summary>
public interface ISubmitterCheck
{
    Problem? Check(HttpContext http, VerifiedSigner signer);
}
