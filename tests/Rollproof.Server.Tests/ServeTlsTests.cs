using System.Net;
using Rollproof.Cli;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Testing;

namespace Rollproof.Server.Tests;

/// <summary><c>serve --tls-cert</c>: HTTPS with the operator's certificate, and a certificate it cannot use serves nothing.</summary>
public sealed class ServeTlsTests : IDisposable
{
    private readonly ServedStore _store = new(entries: 3);
    private readonly TestCertificate _certificate;

    public ServeTlsTests() => _certificate = TestCertificate.Make(_store.Combine(), "server");

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task It_serves_https_with_a_pem_certificate_and_key()
    {
        await using var server = await ServeProcess.StartAsync(_store.Root, "--tls-cert", _certificate.CertificateFile, "--tls-key", _certificate.KeyFile);
        Assert.Equal("https", server.Url.Scheme);
        using var client = _certificate.TrustingClient(server.Url);
        var checkpoint = await client.GetByteArrayAsync("checkpoint");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_store.Root, "log", "checkpoint")), checkpoint);
        // A client that trusts only the system's authorities refuses it: this is TLS with the given certificate.
        using var stranger = new HttpClient { BaseAddress = server.Url };
        await Assert.ThrowsAsync<HttpRequestException>(() => stranger.GetAsync("checkpoint"));
    }

    [Fact]
    public async Task It_serves_https_with_a_pfx_file()
    {
        var pfx = _certificate.ExportPfx(_store.Combine("server.pfx"));
        await using var server = await ServeProcess.StartAsync(_store.Root, "--tls-cert", pfx);
        using var client = _certificate.TrustingClient(server.Url);
        Assert.Equal("ok\n", await client.GetStringAsync("healthz"));
    }

    [Theory]
    [InlineData("another certificate's key")]
    [InlineData("a certificate file that is not one")]
    [InlineData("a missing key file")]
    [InlineData("a PEM certificate without its key")]
    [InlineData("a PFX whose password is not given")]
    public async Task An_unusable_certificate_is_refused_and_nothing_is_served(string kind)
    {
        var other = TestCertificate.Make(_store.Combine(), "other");
        var garbage = _store.Combine("garbage.crt");
        File.WriteAllText(garbage, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        string[] tls = kind switch
        {
            "another certificate's key" => ["--tls-cert", _certificate.CertificateFile, "--tls-key", other.KeyFile],
            "a certificate file that is not one" => ["--tls-cert", garbage, "--tls-key", _certificate.KeyFile],
            "a missing key file" => ["--tls-cert", _certificate.CertificateFile, "--tls-key", _store.Combine("absent.key")],
            "a PEM certificate without its key" => ["--tls-cert", _certificate.CertificateFile],
            _ => ["--tls-cert", _certificate.ExportPfx(_store.Combine("locked.pfx"), "a password")],
        };
        var (code, error) = Serve(tls);
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains(ErrorCodes.TlsCertificateUnusable, error);
        Assert.Contains("--tls-cert", error);
        Assert.Contains("nothing was served", error);
        await AssertStoreIsFree();
    }

    [Fact]
    public async Task A_certificate_outside_its_validity_window_is_refused()
    {
        var options = new ServerOptions(_store.Root, ListenAddress.Parse("127.0.0.1:0").Value)
        {
            TlsCertificateFile = _certificate.CertificateFile,
            TlsKeyFile = _certificate.KeyFile,
        };
        var started = await RollproofServer.StartAsync(options, new FixedClock(DateTimeOffset.UtcNow.AddDays(3)));
        Assert.False(started.IsOk);
        Assert.Equal(ErrorCodes.TlsCertificateUnusable, started.Problem.Code);
        Assert.Contains("valid only from", started.Problem.Message);
        await AssertStoreIsFree();
    }

    [Fact]
    public void A_key_without_a_certificate_is_a_usage_error()
    {
        var (code, error) = Serve("--tls-key", _certificate.KeyFile);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--tls-key needs --tls-cert", error);
    }

    private (int Code, string Error) Serve(params string[] extra)
    {
        var error = new StringWriter();
        var code = CliApp.Run(["serve", "--store", _store.Root, "--listen", "127.0.0.1:0", .. extra], new CliContext(new StringWriter(), error, interactive: false));
        return (code, error.ToString());
    }

    private async Task AssertStoreIsFree()
    {
        var writer = _store.Store.Log.OpenWriter();
        Assert.True(writer.IsOk, writer.IsOk ? null : writer.Problem.Message);
        await writer.Value.DisposeAsync();
    }
}
