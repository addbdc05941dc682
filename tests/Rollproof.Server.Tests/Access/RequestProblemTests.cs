using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Rollproof.Common;
using Rollproof.Server.Limits;

namespace Rollproof.Server.Tests.Access;

/// <summary>What a client that sends something wrong gets: a 4xx problem+json naming the field, or the limit, it broke.</summary>
public sealed class RequestProblemTests(AccessServer server) : IClassFixture<AccessServer>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server.Url };

    [Fact]
    public async Task A_value_of_the_wrong_type_is_a_400_naming_its_field()
    {
        var problem = await Problem(await Post("probe/json", "{\"kind\":\"release\",\"count\":\"many\"}"), HttpStatusCode.BadRequest);
        Assert.Equal("$.count", problem.GetProperty("field").GetString());
        Assert.Equal(ErrorCodes.RequestMalformed, problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Json_nested_deeper_than_the_limit_is_a_400_not_a_stack_overflow()
    {
        var deep = "{\"kind\":\"release\",\"count\":1,\"extra\":" + new string('[', RequestLimits.MaxJsonDepth) + new string(']', RequestLimits.MaxJsonDepth) + "}";
        var problem = await Problem(await Post("probe/json", deep), HttpStatusCode.BadRequest);
        Assert.Contains("depth", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_naming_where()
    {
        var problem = await Problem(await Post("probe/json", "{\"kind\": rel"), HttpStatusCode.BadRequest);
        Assert.Equal("$.kind", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task The_wrong_content_type_is_a_415()
    {
        using var response = await _http.PostAsync("probe/json", new StringContent("{\"kind\":\"release\",\"count\":1}", Encoding.UTF8, "text/plain"));
        await Problem(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_body_over_the_servers_limit_is_a_413()
    {
        var big = "{\"kind\":\"" + new string('a', (int)RequestLimits.MaxBodyBytes) + "\",\"count\":1}";
        await Problem(await Post("probe/json", big), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task An_endpoints_own_body_limit_holds()
    {
        using var fits = await _http.PostAsync("probe/small", new ByteArrayContent(new byte[1024]));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        using var over = await _http.PostAsync("probe/small", new ByteArrayContent(new byte[1025]));
        await Problem(over, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Headers_over_the_limit_are_refused_before_anything_reads_them()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "checkpoint");
        request.Headers.Add("X-Padding", new string('a', 17 * 1024));
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_path_is_a_404_problem()
    {
        using var response = await _http.GetAsync("api/nothing-here");
        await Problem(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_problem_that_shows_nothing_of_it()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();
        var handled = await new ExceptionProblems(new ServerOptions("/nowhere", ListenAddress.Parse("127.0.0.1:0").Value)).TryHandleAsync(http, new InvalidOperationException("secret /srv/store/.rollproof/log.key"), CancellationToken.None);
        Assert.True(handled);
        Assert.Equal(500, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType);
        var body = Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());
        Assert.Contains(ErrorCodes.ServerFault, body);
        Assert.DoesNotContain("secret", body);
        Assert.DoesNotContain("InvalidOperationException", body);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> Post(string path, string json) =>
        await _http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
            Assert.DoesNotContain("   at ", json.RootElement.GetRawText());
            return json.RootElement.Clone();
        }
    }
}
