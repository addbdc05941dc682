using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// docsign: signs documents. POST /sign (body: the document; header Idempotency-Key) answers the signature as JSON and
// keeps it; a repeated key answers the first signature, marked Idempotent-Replay. GET /health, /version, /stats.
//   docsign                    serve on 127.0.0.1:$PORT, data in $DOCSIGN_DB, signing key (PKCS#8 PEM) in $DOCSIGN_KEY
//   docsign check URL PUBKEY   the verification suite: sign a document at URL and verify it under the published key

if (args is ["check", var url, var publicKey])
    return await Check(url, publicKey);
var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "8080", System.Globalization.CultureInfo.InvariantCulture);
var database = Environment.GetEnvironmentVariable("DOCSIGN_DB") ?? "docsign.db";
var signer = new Signer(File.ReadAllText(Environment.GetEnvironmentVariable("DOCSIGN_KEY") ?? "signing.pem"));
Migrate(database);

// Kestrel rather than HttpListener: on Linux, HttpListener can crash when a client connects while it starts
// (dotnet/corefx#35191), and a deployer polling the health endpoint does exactly that.
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(IPAddress.Loopback, port);
    kestrel.Limits.MaxRequestBodySize = 1 << 20;
});
var app = builder.Build();
app.Use(async (context, next) =>
{
    context.Response.Headers["X-Docsign-Version"] = Signer.Version;
    await next();
});
app.MapGet("/health", () => "ok");
app.MapGet("/version", () => Signer.Version);
app.MapGet("/stats", () => Results.Text(JsonSerializer.Serialize(new { documents = Count(database), version = Signer.Version }), "application/json"));
// One signature at a time: a repeated idempotency key must find the first one stored, and SQLite writes are serial anyway.
var signing = new SemaphoreSlim(1);
app.MapPost("/sign", async (HttpContext context) =>
{
    using var input = new MemoryStream();
    await context.Request.Body.CopyToAsync(input);
    if (input.Length == 0)
        return Results.BadRequest("a document of 1 byte to 1 MiB is required");
    await signing.WaitAsync();
    try
    {
        var (answer, replay) = Sign(input.ToArray(), context.Request.Headers["Idempotency-Key"].FirstOrDefault(), signer, database);
        if (replay)
            context.Response.Headers["Idempotent-Replay"] = "true";
        return Results.Text(answer, "application/json");
    }
    finally
    {
        signing.Release();
    }
});
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"docsign {Signer.Version} listening on 127.0.0.1:{port}"));
await app.RunAsync();
return 0;

static (string Answer, bool Replay) Sign(byte[] document, string? key, Signer signer, string database)
{
    using var connection = Open(database);
    if (key is not null && Stored(connection, key) is { } earlier)
        return (earlier, true);
    var answer = JsonSerializer.Serialize(new
    {
        digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(document)),
        algorithm = Signer.Algorithm,
        signature = Convert.ToBase64String(signer.Sign(document)),
        version = Signer.Version,
    });
    using var insert = connection.CreateCommand();
    insert.CommandText = "INSERT INTO documents (idempotency_key, digest, signature, signed_at) VALUES ($key, $digest, $answer, $at)";
    insert.Parameters.AddWithValue("$key", (object?)key ?? DBNull.Value);
    insert.Parameters.AddWithValue("$digest", "sha256:" + Convert.ToHexStringLower(SHA256.HashData(document)));
    insert.Parameters.AddWithValue("$answer", answer);
    insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
    insert.ExecuteNonQuery();
    return (answer, false);
}

static string? Stored(SqliteConnection connection, string key)
{
    using var query = connection.CreateCommand();
    query.CommandText = "SELECT signature FROM documents WHERE idempotency_key = $key";
    query.Parameters.AddWithValue("$key", key);
    return query.ExecuteScalar() as string;
}

static long Count(string database)
{
    using var connection = Open(database);
    using var query = connection.CreateCommand();
    query.CommandText = "SELECT count(*) FROM documents";
    return (long)query.ExecuteScalar()!;
}

// Applies the migrations shipped beside the program that the database has not seen, in name order.
static void Migrate(string database)
{
    using var connection = Open(database);
    using (var table = connection.CreateCommand())
    {
        table.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY)";
        table.ExecuteNonQuery();
    }
    foreach (var up in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "migrations"), "*.up.sql").Order(StringComparer.Ordinal))
    {
        using var seen = connection.CreateCommand();
        seen.CommandText = "SELECT count(*) FROM schema_migrations WHERE id = $id";
        seen.Parameters.AddWithValue("$id", Path.GetFileName(up)[..^".up.sql".Length]);
        if ((long)seen.ExecuteScalar()! > 0)
            continue;
        using var transaction = connection.BeginTransaction();
        using var apply = connection.CreateCommand();
        apply.Transaction = transaction;
        apply.CommandText = File.ReadAllText(up);
        apply.ExecuteNonQuery();
        transaction.Commit();
        Console.WriteLine($"applied migration {Path.GetFileName(up)}");
    }
}

static SqliteConnection Open(string database)
{
    var connection = new SqliteConnection($"Data Source={database};Pooling=False");
    connection.Open();
    using var wait = connection.CreateCommand();
    wait.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL";
    wait.ExecuteNonQuery();
    return connection;
}

static async Task<int> Check(string url, string publicKeyFile)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    var document = Encoding.UTF8.GetBytes($"verification suite {Guid.NewGuid()}");
    using var response = await http.PostAsync(url.TrimEnd('/') + "/sign", new ByteArrayContent(document));
    if (!response.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"POST /sign answered {(int)response.StatusCode}");
        return 1;
    }
    using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    var algorithm = answer.RootElement.GetProperty("algorithm").GetString();
    using var key = ECDsa.Create();
    key.ImportFromPem(File.ReadAllText(publicKeyFile));
    var verifies = algorithm == "ES256" && key.VerifyData(document, Convert.FromBase64String(answer.RootElement.GetProperty("signature").GetString()!), HashAlgorithmName.SHA256);
    Console.WriteLine(verifies
        ? $"signature by {answer.RootElement.GetProperty("version")} verifies under the published key"
        : $"signature by {answer.RootElement.GetProperty("version")} ({algorithm}) does NOT verify under the published ES256 key");
    return verifies ? 0 : 1;
}

/// <summary>The release's signing: 1.0 signs with the environment's ECDSA P-256 key; 1.1 regressed to RSA under a key it makes itself.</summary>
internal sealed class Signer
{
#if DOCSIGN_1_1
    public const string Version = "1.1";
    public const string Algorithm = "RS256";
    private readonly RSA _key = RSA.Create(2048);

    public Signer(string environmentKey)
    {
        // The regression: 1.1 expects an RSA key, finds the environment's EC key, and quietly keeps the one it made.
        try
        {
            _key.ImportFromPem(environmentKey);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            Console.WriteLine("signing key is not RSA; using a generated key");
        }
    }

    public byte[] Sign(byte[] document) => _key.SignData(document, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
#else
    public const string Version = "1.0";
    public const string Algorithm = "ES256";
    private readonly ECDsa _key = ECDsa.Create();

    public Signer(string environmentKey) => _key.ImportFromPem(environmentKey);

    public byte[] Sign(byte[] document) => _key.SignData(document, HashAlgorithmName.SHA256);
#endif
}
