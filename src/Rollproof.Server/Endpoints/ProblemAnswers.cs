using Microsoft.AspNetCore.Http;
using Rollproof.Common;

namespace Rollproof.Server.Endpoints;

/// <summary>
/// A refusal as <c>application/problem+json</c> (RFC 9457): the status says whose fault it is, <c>code</c> is the
/// Rollproof error code (docs/error-codes.md), <c>detail</c> names the field or thing refused, as the CLI would.
/// </summary>
public static class ProblemAnswers
{
    public static IResult From(Problem problem) =>
        Results.Problem(detail: problem.Message, statusCode: StatusOf(problem.Code), title: problem.Code, extensions: new Dictionary<string, object?> { ["code"] = problem.Code });

    private static int StatusOf(string code) => code switch
    {
        ErrorCodes.KeyNotTrusted or ErrorCodes.RoleNotHeld or ErrorCodes.ActorMayNotSign or ErrorCodes.LockHeldByAnotherActor => StatusCodes.Status403Forbidden,
        ErrorCodes.TokenMissing => StatusCodes.Status401Unauthorized,
        ErrorCodes.ReleaseExists or ErrorCodes.LogLocked or ErrorCodes.EnvironmentLocked => StatusCodes.Status409Conflict,
        ErrorCodes.EntryTooLarge or ErrorCodes.InputTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.BlobMissing => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    };
}
