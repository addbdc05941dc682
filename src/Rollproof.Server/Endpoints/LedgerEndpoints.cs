using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rollproof.Common;
using Rollproof.Evidence;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Server.Access;
using Rollproof.Server.Ledger;

namespace Rollproof.Server.Endpoints;

/// <summary>
/// The ledger API under <c>/api/rollproof/v1/ledger</c>: paged lists of the statements that count (by kind, app,
/// environment, digest, actor and time), rollback requests with where they stand, one entry with its receipt, and a
/// rollback's evidence package. Every answer is read from the log through the one trust path (<see cref="LedgerReader"/>).
/// </summary>
public static class LedgerEndpoints
{
    public const string Prefix = "/api/rollproof/v1/ledger";

    // The statement lists by kind: path, kind.
    private static readonly (string Path, string Kind)[] Lists =
    [
        ("releases", StatementKinds.Release), ("deployments", StatementKinds.Deployment), ("approvals", StatementKinds.Approval),
        ("reviews", StatementKinds.Review), ("executions", StatementKinds.Execution), ("reports", StatementKinds.Report),
    ];

    public static IServiceCollection AddLedgerApi(this IServiceCollection services, LogService log) =>
        services.AddSingleton(new LedgerReader(ReleaseStore.Open(log.Store.Root).Value));

    public static IEndpointRouteBuilder MapLedgerEndpoints(this IEndpointRouteBuilder app)
    {
        var ledger = app.MapGroup(Prefix).WithTags("ledger");
        ledger.MapGet("/statements", (HttpContext http, [AsParameters] LedgerQueryParameters _, LedgerReader reader) => List(http, reader, null))
            .WithSummary("Every statement that counts, of any kind, in log order").ProducesProblem(StatusCodes.Status503ServiceUnavailable).Allow(EndpointAccess.Reader);
        foreach (var (path, kind) in Lists)
            ledger.MapGet("/" + path, (HttpContext http, [AsParameters] LedgerQueryParameters _, LedgerReader reader) => List(http, reader, kind))
                .WithSummary($"The {kind} statements that count, in log order").ProducesProblem(StatusCodes.Status503ServiceUnavailable).Allow(EndpointAccess.Reader);
        ledger.MapGet("/statements/{index:long}", (long index, LedgerReader reader) => Entry(index, reader))
            .WithSummary("One log entry: its envelope, whether it counts, and a tlog-proof receipt").ProducesNotFoundOrUnavailable().Allow(EndpointAccess.Reader);
        ledger.MapGet("/rollbacks", (HttpContext http, [AsParameters] LedgerQueryParameters _, LedgerReader reader, TimeProvider clock) => RollbacksAsync(http, reader, clock))
            .WithSummary("Rollback requests that count, each with where it stands").ProducesProblem(StatusCodes.Status503ServiceUnavailable).Allow(EndpointAccess.Reader);
        ledger.MapGet("/rollbacks/{index:long}", (long index, LedgerReader reader, TimeProvider clock, CancellationToken cancellation) => RollbackAsync(index, reader, clock, cancellation))
            .WithSummary("One rollback request with its decision, approvals, reviews, executions and reports").ProducesNotFoundOrUnavailable().Allow(EndpointAccess.Reader);
        ledger.MapGet("/rollbacks/{index:long}/evidence", (long index, LedgerReader reader, CancellationToken cancellation) => EvidenceAsync(index, reader, cancellation))
            .WithSummary("The rollback's evidence package (zip), as 'rollproof evidence export' writes it")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip").ProducesProblem(StatusCodes.Status409Conflict).ProducesNotFoundOrUnavailable().Allow(EndpointAccess.Reader);
        return app;
    }

    private static RouteHandlerBuilder ProducesNotFoundOrUnavailable(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static Results<Ok<StatementPage>, ValidationProblem, ProblemHttpResult> List(HttpContext http, LedgerReader reader, string? kind)
    {
        var (query, errors) = LedgerQuery.Parse(http.Request.Query);
        if (query is null)
            return Invalid(errors);
        var snapshot = reader.Current();
        var page = snapshot.IsOk ? StatementPages.Read(snapshot.Value, kind, query) : snapshot.Problem;
        return page.IsOk ? TypedResults.Ok(page.Value) : Unavailable(page.Problem!);
    }

    private static Results<Ok<LoggedEntry>, ProblemHttpResult> Entry(long index, LedgerReader reader)
    {
        var snapshot = reader.Current();
        if (!snapshot.IsOk)
            return Unavailable(snapshot.Problem!);
        if (OutOfRange(index, snapshot.Value) is { } missing)
            return missing;
        var entry = LoggedEntry.Read(snapshot.Value, index);
        return entry.IsOk ? TypedResults.Ok(entry.Value) : Unavailable(entry.Problem!);
    }

    private static async Task<Results<Ok<RollbackPage>, ValidationProblem, ProblemHttpResult>> RollbacksAsync(HttpContext http, LedgerReader reader, TimeProvider clock)
    {
        var (query, errors) = LedgerQuery.Parse(http.Request.Query);
        if (query is null)
            return Invalid(errors);
        var snapshot = reader.Current();
        var page = snapshot.IsOk ? await RollbackViews.PageAsync(reader, snapshot.Value, query, clock, http.RequestAborted) : snapshot.Problem;
        return page.IsOk ? TypedResults.Ok(page.Value) : Unavailable(page.Problem!);
    }

    private static async Task<Results<Ok<RollbackDetail>, ProblemHttpResult>> RollbackAsync(long index, LedgerReader reader, TimeProvider clock, CancellationToken cancellation)
    {
        var snapshot = reader.Current();
        if (!snapshot.IsOk)
            return Unavailable(snapshot.Problem!);
        var request = FindRequest(index, snapshot.Value);
        if (request.Missing is { } missing)
            return missing;
        var detail = await RollbackViews.DetailAsync(reader, snapshot.Value, request.Request!, clock, cancellation);
        return detail.IsOk ? TypedResults.Ok(detail.Value) : Unavailable(detail.Problem!);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> EvidenceAsync(long index, LedgerReader reader, CancellationToken cancellation)
    {
        var snapshot = reader.Current();
        if (!snapshot.IsOk)
            return Unavailable(snapshot.Problem!);
        if (FindRequest(index, snapshot.Value).Missing is { } missing)
            return missing;
        var exported = await EvidenceExporter.ExportAsync(reader.Store, index, cancellation);
        if (!exported.IsOk)
            return TypedResults.Problem(title: "no evidence package can be exported for this request", detail: exported.Problem!.Message,
                statusCode: StatusCodes.Status409Conflict, extensions: Code(exported.Problem));
        var (package, chain) = exported.Value;
        using var zip = new MemoryStream();
        ZipFiles.Write(zip, EvidenceLayout.Files(package, EvidenceSummary.Render(chain)));
        return TypedResults.File(zip.ToArray(), "application/zip", $"rollback-{index}-evidence.zip");
    }

    // The request at index, which must be a rollback request that counts; otherwise a 404 that says what is there.
    private static (LoggedPredicate<RollbackRequestPredicate>? Request, ProblemHttpResult? Missing) FindRequest(long index, LedgerSnapshot snapshot)
    {
        if (OutOfRange(index, snapshot) is { } outside)
            return (null, outside);
        var entry = snapshot.View.Entry(index);
        if (!entry.IsOk)
            return (null, Unavailable(entry.Problem!));
        var request = LoggedPredicate.Parse<RollbackRequestPredicate>(entry.Value, StatementKinds.RollbackRequest);
        return request.IsOk
            ? (request.Value, null)
            : (null, TypedResults.Problem(title: "no rollback request that counts at this log index", detail: request.Problem!.Message, statusCode: StatusCodes.Status404NotFound, extensions: Code(request.Problem)));
    }

    private static ProblemHttpResult? OutOfRange(long index, LedgerSnapshot snapshot) =>
        index >= 0 && index < snapshot.View.Size
            ? null
            : TypedResults.Problem(title: "no such log entry", detail: $"index {index} is outside the log's {snapshot.View.Size} entries", statusCode: StatusCodes.Status404NotFound);

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "bad query parameters", detail: $"check {string.Join(", ", errors.Keys)}");

    // The log cannot be read as it must be (an altered bundle, a checkpoint that does not verify): no answer rather than a wrong one.
    private static ProblemHttpResult Unavailable(Problem problem) =>
        TypedResults.Problem(title: "the ledger cannot be read", detail: problem.Message, statusCode: StatusCodes.Status503ServiceUnavailable, extensions: Code(problem));

    private static Dictionary<string, object?> Code(Problem problem) => new() { ["code"] = problem.Code };
}
