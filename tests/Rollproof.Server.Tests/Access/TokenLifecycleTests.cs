using System.Net;
using System.Net.Http.Headers;
using Rollproof.Cli;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Server.Access;
using Rollproof.Signing;
using Rollproof.Testing;

namespace Rollproof.Server.Tests.Access;

/// <summary>
/// Tokens as an operator handles them: minted with <c>rollproof server token add</c>, honoured by a running
/// <c>rollproof serve</c>, and refused from the next request once revoked from the file or once the log revokes the
/// name's key; never written anywhere by the server.
/// </summary>
public sealed class TokenLifecycleTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly PrivateKey _admin = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
    private readonly PrivateKey _operator = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);

    public void Dispose()
    {
        _admin.Dispose();
        _operator.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_token_minted_by_the_cli_works_until_revoked_and_the_server_never_writes_it()
    {
        var store = NewStore();
        var tokens = _dir.Combine("tokens");
        var (code, token, _) = Run("server", "token", "add", "operator", "--token-file", tokens);
        Assert.Equal(ExitCodes.Ok, code);
        token = token.Trim();
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(tokens));
        var server = await ServeProcess.StartAsync(store, "--token-file", tokens);
        try
        {
            Assert.Equal(HttpStatusCode.OK, await WhoAmI(server.Url, token));
            var (revoked, _, _) = Run("server", "token", "revoke", "operator", "--token-file", tokens);
            Assert.Equal(ExitCodes.Ok, revoked);
            Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmI(server.Url, token));
        }
        finally
        {
            var (_, errors) = await server.StopAsync();
            await server.DisposeAsync();
            Assert.DoesNotContain(token, errors);
        }
        Assert.DoesNotContain(Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_name_whose_key_the_log_revokes_loses_access_from_the_next_request()
    {
        var root = NewStore();
        var tokens = TokenFile.Empty.Add("operator", auditor: false).Value;
        tokens.File.Write(_dir.Combine("tokens"));
        var options = new ServerOptions(root, new ListenAddress(IPAddress.Loopback, 0)) { TokenFile = _dir.Combine("tokens") };
        await using var server = (await RollproofServer.StartAsync(options, TimeProvider.System)).Value;
        Assert.Equal(HttpStatusCode.OK, await WhoAmI(server.Address, tokens.Token));
        var revoked = await TrustChanges.RevokeAsync(server.Log.Store, "operator", DateTimeOffset.UtcNow, _admin, TimeProvider.System);
        Assert.True(revoked.IsOk, revoked.IsOk ? null : revoked.Problem.Message);
        Assert.Equal(HttpStatusCode.Forbidden, await WhoAmI(server.Address, tokens.Token));
    }

    [Fact]
    public async Task A_server_with_an_endpoint_that_declares_no_access_does_not_start()
    {
        var root = NewStore();
        var options = new ServerOptions(root, new ListenAddress(IPAddress.Loopback, 0));
        var started = await RollproofServer.StartAsync(options, TimeProvider.System, app => Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(app, "/forgotten", () => "open"));
        Assert.False(started.IsOk);
        Assert.Equal(ErrorCodes.EndpointUndeclared, started.Problem.Code);
        Assert.Contains("/forgotten", started.Problem.Message);
        await using var writer = ReleaseStore.Open(root).Value.Log.OpenWriter().Value;
    }

    [Fact]
    public void A_malformed_token_file_stops_the_server_before_it_serves()
    {
        var tokens = _dir.Combine("tokens");
        File.WriteAllText(tokens, "operator rpt_pasted-the-token-itself\n");
        var (code, _, errors) = Run("serve", "--store", NewStore(), "--listen", "127.0.0.1:0", "--token-file", tokens);
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains(ErrorCodes.TokenFileMalformed, errors);
        Assert.Contains("line 1", errors);
    }

    private string NewStore()
    {
        var trust = TeamTrust.Of(("admin", "admin", _admin.PublicKey), ("operator", "operator", _operator.PublicKey));
        var root = _dir.Combine("store-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.True(ReleaseStore.Init(root, "test.example/tokens", trust: trust).IsOk);
        return root;
    }

    private static async Task<HttpStatusCode> WhoAmI(Uri server, string token)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, "api/rollproof/v1/whoami"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static (int Code, string Out, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, new CliContext(output, error, interactive: false));
        return (code, output.ToString(), error.ToString());
    }
}
