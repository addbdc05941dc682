using System.Globalization;
using System.Net;
using System.Text.Json;
using Rollproof.Releases;
using Rollproof.Storage;

namespace Rollproof.Server.Tests;

/// <summary>The ledger API against a served store: lists, filters, paging, bad parameters, a request's state, an entry's receipt, the evidence download.</summary>
[Collection(ServedLedgerGroup.Name)]
public sealed class LedgerApiTests(ServedLedger ledger)
{
    [Fact]
    public async Task Releases_lists_the_counted_releases_each_with_its_signers_trust_name_and_key_id()
    {
        var page = await ledger.GetAsync("releases");
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([ledger.Releases["1.0"], ledger.Releases["1.1"]], items.Select(i => i.GetProperty("logIndex").GetInt64()));
        Assert.All(items, i =>
        {
            Assert.Equal("ci", i.GetProperty("signedBy").GetProperty("name").GetString());
            Assert.Equal(ledger.Keys["ci"].KeyId, i.GetProperty("signedBy").GetProperty("keyId").GetString());
            Assert.Equal("web", i.GetProperty("app").GetString());
        });
        Assert.Contains("trust the log establishes", page.GetProperty("trust").GetString());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextPageToken").ValueKind);
    }

    [Fact]
    public async Task Queries_filter_by_app_environment_digest_actor_and_time()
    {
        var artifact = Sha256Digest.Of(File.ReadAllBytes(ledger.Artifact("1.0"))).ToString();
        Assert.Equal([ledger.Releases["1.0"]], await IndexesAsync($"statements?digest={artifact}"));
        Assert.Equal([ledger.Approval], await IndexesAsync("statements?actor=carol"));
        Assert.Equal([ledger.Approval], await IndexesAsync("approvals?app=web&environment=prod"));
        Assert.Equal(2, (await IndexesAsync("deployments?environment=prod&app=web")).Count);
        Assert.Empty(await IndexesAsync("deployments?environment=staging"));
        Assert.Empty(await IndexesAsync("releases?app=other"));
        // Times are the log's, to the second: the expected answers are worked out from the times the list gives.
        var logged = (await ledger.GetAsync("statements?pageSize=500")).GetProperty("items").EnumerateArray()
            .Select(i => (Index: i.GetProperty("logIndex").GetInt64(), At: i.GetProperty("loggedAt").GetDateTimeOffset())).ToList();
        var requested = logged.Single(e => e.Index == ledger.Request).At;
        var since = requested.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        Assert.Equal(logged.Where(e => e.At >= requested).Select(e => e.Index), await IndexesAsync($"statements?since={since}&pageSize=500"));
        Assert.Equal(logged.Where(e => e.At < requested).Select(e => e.Index), await IndexesAsync($"statements?until={since}&pageSize=500"));
        Assert.Contains(ledger.Request, await IndexesAsync($"statements?since={since}"));
    }

    [Fact]
    public async Task Pages_cover_the_list_once_in_log_order_and_a_token_always_names_the_same_page()
    {
        var whole = await IndexesAsync("statements?pageSize=500");
        var paged = new List<long>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await ledger.GetAsync("statements?pageSize=2" + (token is null ? "" : "&pageToken=" + token));
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("logIndex").GetInt64()));
            paged.AddRange(page.GetProperty("setAside").EnumerateArray().Select(i => i.GetProperty("logIndex").GetInt64()));
            if (token is not null)
                Assert.Equal(page.GetRawText(), (await ledger.GetAsync("statements?pageSize=2&pageToken=" + token)).GetRawText());
            token = page.GetProperty("nextPageToken").GetString();
            pages++;
        }
        while (token is not null);
        var all = await ledger.GetAsync("statements?pageSize=500");
        Assert.Equal(whole.Concat(all.GetProperty("setAside").EnumerateArray().Select(i => i.GetProperty("logIndex").GetInt64())).Order(), paged.Order());
        Assert.Equal(paged.Count, paged.Distinct().Count());
        Assert.True(pages > 2, $"{pages} pages of 2 for {paged.Count} entries");
    }

    [Fact]
    public async Task Requests_read_at_once_get_the_answers_one_at_a_time_gets()
    {
        string[] questions = ["statements", "releases?actor=ci", "approvals?app=web", $"rollbacks/{ledger.Request}", "rollbacks"];
        var alone = new List<string>();
        foreach (var question in questions)
            alone.Add((await ledger.GetAsync(question)).GetRawText());
        var together = await Task.WhenAll(Enumerable.Range(0, 4).SelectMany(_ => questions).Select(async q => (await ledger.GetAsync(q)).GetRawText()));
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(_ => alone), together);
    }

    [Theory]
    [InlineData("releases?pageSize=0", "pageSize")]
    [InlineData("releases?pageSize=501", "pageSize")]
    [InlineData("releases?pageSize=ten", "pageSize")]
    [InlineData("releases?since=yesterday", "since")]
    [InlineData("releases?since=2026-12-06", "since")]
    [InlineData("releases?since=2026-12-06T10:00:00Z&until=2026-12-06T09:00:00Z", "until")]
    [InlineData("releases?digest=abc", "digest")]
    [InlineData("releases?pageToken=not-a-token", "pageToken")]
    [InlineData("releases?pageToken=djE6LTE", "pageToken")]
    [InlineData("releases?enviroment=prod", "enviroment")]
    [InlineData("releases?app=web&app=api", "app")]
    [InlineData("releases?actor=", "actor")]
    [InlineData("rollbacks?pageSize=-1", "pageSize")]
    public async Task A_bad_parameter_gets_a_400_problem_naming_it(string query, string parameter)
    {
        using var response = await ledger.Server.Http.GetAsync(ServedLedger.Api + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.GetRawText());
    }

    [Fact]
    public async Task Rollbacks_lists_each_request_with_where_it_stands_and_its_approvals()
    {
        var list = (await ledger.GetAsync("rollbacks")).GetProperty("items").EnumerateArray().ToList();
        var request = Assert.Single(list);
        Assert.Equal(ledger.Request, request.GetProperty("request").GetProperty("logIndex").GetInt64());
        Assert.Equal("approved", request.GetProperty("state").GetProperty("state").GetString());
        Assert.Equal(1, request.GetProperty("state").GetProperty("approvals").GetInt32());
        Assert.Equal("1.0", request.GetProperty("targetVersion").GetString());

        var detail = await ledger.GetAsync($"rollbacks/{ledger.Request}");
        Assert.Equal("approved", detail.GetProperty("decision").GetProperty("status").GetString());
        var approval = Assert.Single(detail.GetProperty("approvals").GetProperty("counted").EnumerateArray());
        Assert.Equal("carol", approval.GetProperty("statement").GetProperty("signedBy").GetProperty("name").GetString());
        Assert.Equal("web", detail.GetProperty("request").GetProperty("predicate").GetProperty("app").GetString());
    }

    [Fact]
    public async Task An_index_that_is_no_counted_rollback_request_is_a_404_problem()
    {
        foreach (var index in new[] { ledger.Releases["1.0"], 9999L, -1L })
        {
            using var response = await ledger.Server.Http.GetAsync($"{ServedLedger.Api}rollbacks/{index}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task An_entrys_receipt_verifies_offline_with_the_logs_key()
    {
        var entry = await ledger.GetAsync($"statements/{ledger.Approval}");
        Assert.Equal("carol", entry.GetProperty("statement").GetProperty("signedBy").GetProperty("name").GetString());
        var bytes = Convert.FromBase64String(entry.GetProperty("entry").GetString()!);
        Assert.Equal(ledger.Entry(ledger.Approval), bytes);
        Assert.Equal(JsonValueKind.Array, entry.GetProperty("envelope").GetProperty("signatures").ValueKind);
        File.WriteAllBytes(ledger.Combine("approval.entry"), bytes);
        File.WriteAllText(ledger.Combine("approval.tlog-proof"), entry.GetProperty("receipt").GetString());
        ServedLedger.Cli("log", "verify-receipt", ledger.Combine("approval.tlog-proof"), "--entry", ledger.Combine("approval.entry"), "--vkey", ReleaseStore.Open(ledger.Store).Value.Log.Config.VerifierKey);
    }

    [Fact]
    public async Task The_evidence_download_is_a_package_that_verifies_offline()
    {
        using var response = await ledger.Server.Http.GetAsync($"{ServedLedger.Api}rollbacks/{ledger.Request}/evidence");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        var package = ledger.Combine($"evidence-{Guid.NewGuid():N}.zip");
        File.WriteAllBytes(package, await response.Content.ReadAsByteArrayAsync());
        ServedLedger.Cli("evidence", "verify", package, "--trust", Path.Combine(ledger.Store, "trust.json"));
    }

    private async Task<List<long>> IndexesAsync(string path) =>
        [.. (await ledger.GetAsync(path)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("logIndex").GetInt64())];
}
