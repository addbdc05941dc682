using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Rollproof.Queries;
using Rollproof.Releases;

namespace Rollproof.Server.Tests;

/// <summary>
/// What someone who can edit the store's files, or who holds the log's key, cannot make the ledger API say: an edited
/// or deleted query-index row changes no answer, and a statement by a key the trust does not let sign its kind is
/// never listed as counting.
/// </summary>
[Collection(ServedLedgerGroup.Name)]
public sealed class LedgerAttackTests(ServedLedger ledger)
{
    private static readonly string[] Questions =
    [
        "statements", "releases", "releases?actor=ci", "statements?actor=carol", "approvals?app=web", "deployments?environment=prod",
        "rollbacks", "rollbacks/{request}", "statements?digest={artifact}",
    ];

    [Fact]
    public async Task Edited_and_deleted_index_rows_change_no_answer()
    {
        var before = await AnswersAsync();
        var indexAnswers = IndexAnswers();
        var index = QueryIndex.PathOf(ReleaseStore.Open(ledger.Store).Value);
        Assert.True(File.Exists(index), "the CLI keeps a query index beside the log");
        var changed = Execute(index, """
            UPDATE events SET signer = 'mallory', app = 'other', env = 'staging' WHERE kind = 'release';
            UPDATE events SET signer = 'carol', signer_key = NULL, summary = 'forged' WHERE kind IN ('deployment', 'policy');
            DELETE FROM events WHERE kind IN ('approval', 'rollback-request');
            DELETE FROM files;
            """);
        Assert.True(changed > 0, "the rows the answers are about were edited");
        Assert.NotEqual(indexAnswers, IndexAnswers());
        Assert.Equal(before, await AnswersAsync());
    }

    [Fact]
    public async Task A_statement_by_a_key_not_trusted_for_its_kind_is_never_listed_as_counting()
    {
        var forged = new[] { ledger.ByMallory, ledger.ByCarol, ledger.ApprovalByMallory };
        foreach (var question in Questions)
        {
            var answer = await AskAsync(question);
            var counted = answer.TryGetProperty("items", out var items)
                ? items.EnumerateArray().Select(i => (i.TryGetProperty("request", out var r) ? r : i).GetProperty("logIndex").GetInt64()).ToList()
                : [];
            Assert.DoesNotContain(counted, forged.Contains);
        }
        var releases = await AskAsync("releases");
        Assert.Equal([ledger.ByMallory, ledger.ByCarol], releases.GetProperty("setAside").EnumerateArray().Select(e => e.GetProperty("logIndex").GetInt64()));
        Assert.Empty((await AskAsync("statements?actor=mallory")).GetProperty("items").EnumerateArray());
        Assert.DoesNotContain(ledger.ByCarol, (await AskAsync("statements?actor=carol")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("logIndex").GetInt64()));

        foreach (var index in forged)
        {
            var entry = await AskAsync($"statements/{index}");
            Assert.Equal(JsonValueKind.Null, entry.GetProperty("statement").ValueKind);
            Assert.False(string.IsNullOrWhiteSpace(entry.GetProperty("setAside").GetProperty("reason").GetString()));
        }
        var request = await AskAsync($"rollbacks/{ledger.Request}");
        Assert.Equal(1, request.GetProperty("state").GetProperty("approvals").GetInt32());
        Assert.Contains(request.GetProperty("approvals").GetProperty("setAside").EnumerateArray(), reason => reason.GetString()!.Contains($"log entry {ledger.ApprovalByMallory}"));
    }

    [Fact]
    public async Task A_forged_release_is_no_rollback_request_and_no_evidence()
    {
        using var response = await ledger.Server.Http.GetAsync($"{ServedLedger.Api}rollbacks/{ledger.ByMallory}/evidence");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    // What the index alone answers ('rollproof query' reads it): the edit must be one that changes those answers.
    private List<string> IndexAnswers() =>
        [ServedLedger.Cli("query", "actor", "ci", "--store", ledger.Store, "--json"), ServedLedger.Cli("query", "history", "web", "--store", ledger.Store, "--json")];

    private async Task<List<string>> AnswersAsync()
    {
        var answers = new List<string>();
        foreach (var question in Questions)
            answers.Add((await AskAsync(question)).GetRawText());
        return answers;
    }

    private async Task<JsonElement> AskAsync(string question)
    {
        var artifact = Storage.Sha256Digest.Of(File.ReadAllBytes(ledger.Artifact("1.0"))).ToString();
        var path = question.Replace("{request}", ledger.Request.ToString(System.Globalization.CultureInfo.InvariantCulture)).Replace("{artifact}", artifact);
        return await ledger.GetAsync(path);
    }

    private static int Execute(string database, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }
}
