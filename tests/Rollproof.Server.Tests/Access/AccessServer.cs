using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Server.Access;
using Rollproof.Server.Limits;
using Rollproof.Signing;
using Rollproof.Testing;
using Rollproof.Trust;

namespace Rollproof.Server.Tests.Access;

/// <summary>
/// A server on a real loopback port whose store trusts one key per team role (ci, operator, approver, admin) and one
/// whose key a logged key change revoked ("former"), with a token file holding a token for each of those, for an
/// auditor, for a name the trust never had ("stranger"), and one revoked from the file. Beside the server's own
/// endpoints it maps probes (under <c>/probe/</c>) that exercise the access checks and request limits as a real
/// endpoint would use them, declared like any other.
/// </summary>
public class AccessServer : IAsyncLifetime, IDisposable
{
    public static readonly string[] Roles = [.. TeamRoles.Kinds.Keys];

    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, PrivateKey> _keys = [];
    private RunningServer _server = null!;

    public Uri Url => _server.Address;

    public RunningServer Server => _server;

    public string TokenFilePath => _dir.Combine("tokens");

    /// <summary>Each caller of the matrix by name, with its Authorization header value (null: none).</summary>
    public Dictionary<string, string?> Callers { get; } = [];

    public PrivateKey KeyOf(string name) => _keys[name];

    public async Task InitializeAsync()
    {
        foreach (var name in (string[])[.. Roles, "former"])
            _keys[name] = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var trust = TeamTrust.Of([.. _keys.Select(k => (k.Key, k.Key == "former" ? "operator" : k.Key, k.Value.PublicKey))]);
        var root = _dir.Combine("store");
        var store = ReleaseStore.Init(root, "test.example/access", trust: trust).Value;
        var revoked = await TrustChanges.RevokeAsync(store, "former", DateTimeOffset.UtcNow, _keys["admin"], TimeProvider.System);
        Assert.True(revoked.IsOk, revoked.IsOk ? null : revoked.Problem.Message);

        var tokens = TokenFile.Empty;
        foreach (var name in (string[])[.. Roles, "former", "stranger"])
            Callers[name] = Bearer(Mint(ref tokens, name, auditor: false));
        Callers["auditor"] = Bearer(Mint(ref tokens, "amy", auditor: true));
        var withdrawn = Mint(ref tokens, "ci", auditor: false);
        tokens = tokens.Revoke(tokens.Entries[^1].HashText).Value.File;
        Callers["revoked"] = Bearer(withdrawn);
        Callers["none"] = null;
        Callers["unknown"] = Bearer(ApiToken.New());
        Callers["not-bearer"] = "Basic " + Convert.ToBase64String("ci:password"u8);
        tokens.Write(TokenFilePath);

        var options = Configure(new ServerOptions(root, new ListenAddress(IPAddress.Loopback, 0)) { TokenFile = TokenFilePath });
        var started = await RollproofServer.StartAsync(options, TimeProvider.System, MapProbes);
        Assert.True(started.IsOk, started.IsOk ? null : started.Problem.Message);
        _server = started.Value;
    }

    /// <summary>The options the server starts with; a fixture for one concern (rate limits) changes them here.</summary>
    protected virtual ServerOptions Configure(ServerOptions options) => options;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        foreach (var key in _keys.Values)
            key.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A request to <paramref name="path"/> as <paramref name="caller"/> (a key of <see cref="Callers"/>).</summary>
    public HttpRequestMessage Request(HttpMethod method, string path, string caller)
    {
        var request = new HttpRequestMessage(method, new Uri(Url, path));
        if (Callers[caller] is { } authorization)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    public record ProbeBody(string Kind, int Count, System.Text.Json.JsonElement? Extra);

    public record SignProbe(string KeyId, string Kind);

    private static void MapProbes(IEndpointRouteBuilder app)
    {
        // What the submission endpoint does with its caller: only the actor's own key, only for its kinds.
        app.MapPost("/probe/sign", (SignProbe body, ActorContext actor) =>
            actor.SignRefusal(body.KeyId, body.Kind) is { } refused ? ApiProblem.Result(StatusCodes.Status403Forbidden, refused.Code, refused.Message) : Results.Ok()).Allow(EndpointAccess.Actor);
        app.MapPost("/probe/json", (ProbeBody body) => Results.Ok()).Allow(EndpointAccess.Public);
        app.MapPost("/probe/small", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return Results.Ok();
        }).Allow(EndpointAccess.Public).LimitRequestBody(1024);
    }

    private static string Mint(ref TokenFile tokens, string name, bool auditor)
    {
        var added = tokens.Add(name, auditor).Value;
        tokens = added.File;
        return added.Token;
    }

    private static string Bearer(string token) => new AuthenticationHeaderValue("Bearer", token).ToString();
}
