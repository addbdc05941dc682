using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rollproof.Testing;

namespace Rollproof.Server.Tests;

/// <summary>
/// The Rekor v1 API over real HTTP: entries are created (201, Location), found by index and UUID, refused with a
/// problem+json naming the field (and nothing logged), answered 409 when logged before, and the log's info is its
/// checkpoint.
/// </summary>
public sealed class RekorEndpointsTests(RekorServer served) : IClassFixture<RekorServer>, IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private HttpClient Http => served.Server.Http;

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task A_hashedrekord_is_created_and_found_again_by_its_location_index_and_uuid()
    {
        using var created = await Http.PostAsync("api/v1/log/entries", Json(HashedRekord("created")));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var answer = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var (entryId, entry) = Assert.Single(answer);
        Assert.Equal($"/api/v1/log/entries/{entryId}", created.Headers.Location!.OriginalString);
        var index = entry!["logIndex"]!.GetValue<long>();
        foreach (var path in (string[])[created.Headers.Location.OriginalString[1..], $"api/v1/log/entries?logIndex={index}", $"api/v1/log/entries/{entryId[16..]}"])
            Assert.Equal(answer.ToJsonString(), (await Http.GetFromJsonAsync<JsonObject>(path))!.ToJsonString());
    }

    [Fact]
    public async Task The_same_entry_posted_again_is_a_conflict_pointing_at_the_first()
    {
        using var first = await Http.PostAsync("api/v1/log/entries", Json(HashedRekord("twice", out var again)));

        using var second = await Http.PostAsync("api/v1/log/entries", Json(again));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
    }

    [Theory]
    [InlineData("kind", "\"rekord\"", "kind")]
    [InlineData("apiVersion", "\"0.0.2\"", "apiVersion")]
    [InlineData("spec.data.hash.value", "\"00\"", "spec.data.hash.value")]
    [InlineData("spec.signature.content", "\"MEUCIQ==\"", "spec.signature.content")]
    public async Task A_bad_entry_is_a_400_problem_naming_the_field_and_logs_nothing(string path, string value, string field)
    {
        var proposal = HashedRekord("bad");
        var steps = path.Split('.');
        var node = steps[..^1].Aggregate((JsonNode)proposal, (n, step) => n[step]!);
        node[steps[^1]] = JsonNode.Parse(value);
        var before = await TreeSizeAsync();

        using var response = await Http.PostAsync("api/v1/log/entries", Json(proposal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.StartsWith(field + ":", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await TreeSizeAsync());
    }

    [Fact]
    public async Task An_oversized_entry_is_refused_413_and_its_connection_closed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/log/entries") { Content = new ByteArrayContent(new byte[(1 << 20) + 1]) };
        request.Content.Headers.ContentType = new("application/json");
        // As a client of large bodies should: otherwise it may still be sending when the server answers and closes.
        request.Headers.ExpectContinue = true;

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        // Its body was never read: a client that reused the connection would race the server closing it.
        Assert.True(response.Headers.ConnectionClose);
    }

    [Theory]
    [InlineData("api/v1/log/entries?logIndex=0", HttpStatusCode.NotFound)]
    [InlineData("api/v1/log/entries?logIndex=99999", HttpStatusCode.NotFound)]
    [InlineData("api/v1/log/entries?logIndex=-1", HttpStatusCode.BadRequest)]
    [InlineData("api/v1/log/entries?logIndex=x", HttpStatusCode.BadRequest)]
    [InlineData("api/v1/log/entries", HttpStatusCode.BadRequest)]
    [InlineData("api/v1/log/entries/not-hex", HttpStatusCode.BadRequest)]
    [InlineData("api/v1/log/entries/0000000000000000000000000000000000000000000000000000000000000000", HttpStatusCode.NotFound)]
    public async Task What_names_no_rekor_entry_is_a_problem(string path, HttpStatusCode status)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Retrieve_finds_entries_by_uuid_and_index()
    {
        using var created = await Http.PostAsync("api/v1/log/entries", Json(HashedRekord("retrieved")));
        var (entryId, entry) = Assert.Single((await created.Content.ReadFromJsonAsync<JsonObject>())!);

        using var response = await Http.PostAsync("api/v1/log/entries/retrieve", Json(new JsonObject { ["entryUUIDs"] = new JsonArray(entryId), ["logIndexes"] = new JsonArray(entry!["logIndex"]!.GetValue<long>()) }));

        var found = (await response.Content.ReadFromJsonAsync<JsonArray>())!;
        Assert.Equal(2, found.Count);
        Assert.All(found, e => Assert.Equal(entryId, Assert.Single(e!.AsObject()).Key));
    }

    [Fact]
    public async Task The_log_info_and_public_key_are_the_stores_log()
    {
        var info = (await Http.GetFromJsonAsync<JsonObject>("api/v1/log"))!;
        var checkpoint = await Http.GetStringAsync("checkpoint");
        var publicKey = await Http.GetStringAsync("api/v1/log/publicKey");

        Assert.Equal(checkpoint, info["signedTreeHead"]!.GetValue<string>());
        Assert.Equal(checkpoint.Split('\n')[1], info["treeSize"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", publicKey, StringComparison.Ordinal);
    }

    private async Task<long> TreeSizeAsync() => (await Http.GetFromJsonAsync<JsonObject>("api/v1/log"))!["treeSize"]!.GetValue<long>();

    // A fresh signature each time (ECDSA is randomised), so each test logs an entry of its own.
    private JsonObject HashedRekord(string artifact) => RekorProposals.HashedRekord(_key, Encoding.UTF8.GetBytes(artifact));

    private JsonObject HashedRekord(string artifact, out JsonObject copy)
    {
        var proposal = HashedRekord(artifact);
        copy = proposal.DeepClone().AsObject();
        return proposal;
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
