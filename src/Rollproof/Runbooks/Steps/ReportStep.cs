using Rollproof.Ledger;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: report</c>: signs and logs the reconciliation report (<see cref="ReportPredicate"/>) from what the steps
/// before it recorded: snapshot digests (<c>sqlite:…</c>, <c>postgres:…</c>, <c>dir:…</c>), counts (evidence named
/// <c>count:…</c>), every step's timing, and each snapshotted table's rows then and now (counted again here). A report
/// already logged for the request is not logged again.
/// </summary>
public sealed class ReportStep : IRunbookStep
{
    public string Uses => "report";

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        "sign and log the reconciliation report: snapshots, step timings, counts, rows before and after, approvers";

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        if (context.Rollback is not { } rollback)
            return StepOutcome.Failed("a report is logged only as part of a rollback");
        var reports = new StatementLedger(rollback.Store).Referring<ReportPredicate>(rollback.RequestRef, StatementKinds.Report);
        if (!reports.IsOk)
            return StepOutcome.Failed($"the ledger's index cannot be read: {reports.Problem.Message}");
        if (reports.Value is [var existing, ..])
            return StepOutcome.Done($"the reconciliation report was logged already, at index {existing.Entry.Index}", new Dictionary<string, string> { ["report"] = existing.Entry.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var evidence = context.Completed.Values.SelectMany(r => r.Evidence ?? new Dictionary<string, string>()).ToList();
        var predicate = new ReportPredicate(
            rollback.RequestRef, rollback.Request.App, rollback.Request.Environment, rollback.Request.Current.Version, rollback.Request.Target.Version,
            evidence.Where(e => SnapshotStep.IsSnapshot(e.Key)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
            [.. context.Completed.Values.OrderBy(r => r.At).Select(r => new ReportedStep(r.Step, r.Event.ToString().ToLowerInvariant(),
                context.Journal.LastOrDefault(j => j.Step == r.Step && j.Event == StepEvent.Started && j.At <= r.At)?.At, r.At))],
            evidence.Where(e => e.Key.StartsWith("count:", StringComparison.Ordinal)).ToDictionary(e => e.Key["count:".Length..], e => e.Value, StringComparer.Ordinal),
            rollback.Approvers,
            await RowsAsync(evidence, cancellation));
        var statement = RequestStatement.About(rollback.RequestRef, StatementKinds.Report, predicate);
        var logged = await new StatementLedger(rollback.Store).AppendAsync(statement, rollback.Operator, context.Clock, cancellation);
        return logged.IsOk
            ? StepOutcome.Done($"reconciliation report logged at index {logged.Value.Ref.LogIndex}", new Dictionary<string, string> { ["report"] = logged.Value.Ref.LogIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), ["digest"] = logged.Value.Ref.Digest })
            : StepOutcome.Failed($"the report could not be logged: {logged.Problem.Message}");
    }

    // Each table's rows as the snapshot counted them, beside a count now: a SQLite file by its path, a PostgreSQL
    // database by its URI, with the password reference the snapshot recorded for it, if any.
    private static async Task<List<TableRows>> RowsAsync(List<KeyValuePair<string, string>> evidence, CancellationToken cancellation)
    {
        var rows = new List<TableRows>();
        foreach (var (key, json) in evidence.Where(e => e.Key.StartsWith(TableCounts.EvidencePrefix, StringComparison.Ordinal)))
        {
            var database = key[TableCounts.EvidencePrefix.Length..];
            var before = TableCounts.Read(json) ?? [];
            var after = await CountNowAsync(database, evidence, cancellation);
            foreach (var table in before.Keys.Union(after?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal))
                rows.Add(new TableRows(database, table, before.TryGetValue(table, out var b) ? b : null, after is not null && after.TryGetValue(table, out var a) ? a : null));
        }
        return rows;
    }

    private static async Task<SortedDictionary<string, long>?> CountNowAsync(string database, List<KeyValuePair<string, string>> evidence, CancellationToken cancellation)
    {
        if (database.StartsWith("sqlite:", StringComparison.Ordinal))
            return TableCounts.Sqlite(database["sqlite:".Length..]) is { IsOk: true } counted ? counted.Value : null;
        if (!database.StartsWith("postgres:", StringComparison.Ordinal))
            return null;
        var uri = database["postgres:".Length..];
        var password = evidence.LastOrDefault(e => e.Key == PostgresSession.EvidenceKey(uri)).Value;
        var session = PostgresSession.From(password is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["password"] = password });
        return session.IsOk && await TableCounts.PostgresAsync(uri, session.Value, cancellation) is { IsOk: true } now ? now.Value : null;
    }
}
