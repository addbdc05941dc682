using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Rollproof.Ledger;
using Rollproof.Server.Ledger;

namespace Rollproof.Server.Tests;

/// <summary>
/// A ledger filter that matches little never makes one request read the whole log: each page examines at most
/// <see cref="StatementPages.MaxEntriesExamined"/> entries and hands back a token, short page or not.
/// </summary>
public sealed class LedgerWorkCapTests : IDisposable
{
    private const int Entries = StatementPages.MaxEntriesExamined + 300;
    private readonly ServedStore _store = new(Entries);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void A_filter_matching_nothing_stops_at_the_work_cap_with_a_token_and_the_tokens_cover_the_rest_of_the_log()
    {
        var view = LedgerView.Open(_store.Store).Value;
        var query = Query([]);

        var first = StatementPages.Scan(view, null, query).Value;

        Assert.Empty(first.Matches);
        Assert.Equal(PageToken.Of(StatementPages.MaxEntriesExamined), first.Next);
        var last = StatementPages.Scan(view, null, Query(new() { ["pageToken"] = first.Next })).Value;
        Assert.Empty(last.Matches);
        Assert.Null(last.Next);
    }

    [Fact]
    public void Without_a_content_filter_a_page_still_ends_at_its_size()
    {
        var view = LedgerView.Open(_store.Store).Value;

        var page = StatementPages.Scan(view, null, LedgerQuery.Parse(new QueryCollection(new Dictionary<string, StringValues> { ["pageSize"] = "7" })).Query!).Value;

        Assert.Equal(7, page.SetAside.Count);
        Assert.Equal(PageToken.Of(7), page.Next);
    }

    // An app no statement names: every entry is examined, none matches.
    private static LedgerQuery Query(Dictionary<string, StringValues> more)
    {
        more["app"] = "no-such-app";
        var (query, errors) = LedgerQuery.Parse(new QueryCollection(more));
        Assert.Empty(errors);
        return query!;
    }
}
