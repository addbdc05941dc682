using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// A small Distribution token service for tests (Rollproof ships none): a real HTTP server on loopback that checks a
/// Basic login and issues ES256 JWTs granting the scope asked for, signed by a key whose self-signed certificate the
/// registry's config names as its root (<c>auth.token.rootcertbundle</c>), carried in the token's <c>x5c</c> header.
/// </summary>
public sealed class RegistryTokenService : IDisposable
{
    public const string Service = "rollproof-test-registry";
    public const string Issuer = "rollproof-test-issuer";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _certificate;
    private readonly LoopbackHttp _http;
    private readonly string _expectedAuthorization;
    private int _issued;

    public RegistryTokenService(string user, string password, string certificateFile)
    {
        CertificateFile = certificateFile;
        _expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        _certificate = new CertificateRequest("CN=rollproof test token issuer", _key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(certificateFile, _certificate.ExportCertificatePem());
        _http = new LoopbackHttp(Answer);
    }

    /// <summary>The PEM certificate the registry's config names as the root its tokens must chain to.</summary>
    public string CertificateFile { get; }

    public string Realm => $"http://127.0.0.1:{_http.Port}/token";

    /// <summary>How many tokens were issued: the client keeps them per scope, so a push asks for few.</summary>
    public int Issued => _issued;

    private async Task Answer(HttpListenerContext call)
    {
        if (call.Request.Headers["Authorization"] != _expectedAuthorization)
        {
            call.Response.StatusCode = 401;
            return;
        }
        var scopes = call.Request.QueryString.GetValues("scope") ?? [];
        var access = scopes.Select(s => s.Split(':')).Where(p => p.Length == 3).Select(p => new { type = p[0], name = p[1], actions = p[2].Split(',') }).ToArray();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new { typ = "JWT", alg = "ES256", x5c = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var claims = new { iss = Issuer, sub = "alice", aud = Service, exp = now + 300, nbf = now - 10, iat = now, jti = Guid.NewGuid().ToString("N"), access };
        var signingInput = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256); // IEEE P1363 r||s, as JWS wants
        Interlocked.Increment(ref _issued);
        call.Response.ContentType = "application/json";
        await call.Response.OutputStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new { token = $"{signingInput}.{Base64Url(signature)}", expires_in = 300 }));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _http.Dispose();
        _certificate.Dispose();
        _key.Dispose();
    }
}
