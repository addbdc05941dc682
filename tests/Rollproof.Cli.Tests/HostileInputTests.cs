using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Rollbacks.Policy;
using Rollproof.Signing;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// Hostile input from outside: a statement whose contents would exhaust a parser, files nested deeper than any reader
/// goes, devices and FIFOs where files belong, and evidence packages that are not plain archives of files. Each is
/// refused or set aside with a clear error while the governed store keeps working.
/// </summary>
public sealed class HostileInputTests : GovernedStoreTests
{
    // Flow sequences opened and never closed: a reader that builds nodes as it goes is 44,000 calls deep before the
    // missing brackets are noticed, and the entry stays under the log's 64 KiB limit.
    private static string Nested(int depth) => "environment: prod\nroles: " + new string('[', depth);

    private long PolicyInForce() =>
        JsonDocument.Parse(Ok("policy", "show", "--store", Store, "--env", "prod", "--json").Out).RootElement.GetProperty("logIndex").GetInt64();

    [Fact]
    public void A_policy_nested_44000_deep_signed_by_an_untrusted_key_is_set_aside_and_every_command_still_works()
    {
        using var mallory = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var honest = PolicyInForce();
        var statement = new InTotoStatement([new Subject("policy:prod", new Dictionary<string, string> { ["sha256"] = new string('0', 64) })],
            StatementKinds.PredicateType(StatementKinds.Policy), PredicateJson.Write(new PolicyPredicate("prod", Nested(44_000), null)));

        LogAppend(statement, mallory);

        Assert.Equal(honest, PolicyInForce());
        Request("alice");
        Request("bob", "--emergency");
        Ok("deploy", "record", "--store", Store, "--env", "prod", "--app", "doc-signer", "--version", "1.0", "--key", Key("ops"), "--state", State);
        File.WriteAllText(Dir.Combine("change.yaml"), File.ReadAllText(Dir.Combine("policy.yaml")).Replace("required: 2", "required: 1", StringComparison.Ordinal));
        var changed = Ok("policy", "set", Dir.Combine("change.yaml"), "--store", Store, "--key", Key("root"), "--json");
        Assert.Equal(JsonDocument.Parse(changed.Out).RootElement.GetProperty("logIndex").GetInt64(), PolicyInForce());
    }

    [Theory]
    [InlineData("policy")]
    [InlineData("runbook")]
    public void A_file_nested_30000_deep_is_refused_with_a_clear_error(string what)
    {
        var file = Dir.Combine("deep.yaml");
        File.WriteAllText(file, Nested(30_000));

        var outcome = what == "policy"
            ? Run("policy", "set", file, "--store", Store, "--key", Key("root"))
            : Execute(Approved(), file, "ops", "--dry-run");

        Assert.Equal(ExitCodes.InputError, outcome.ExitCode);
        Assert.Contains("nested deeper than", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_and_a_runbook_with_a_utf8_byte_order_mark_are_read()
    {
        var bom = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        File.WriteAllText(Dir.Combine("bom.yaml"), File.ReadAllText(Dir.Combine("policy.yaml")).Replace("required: 2", "required: 1", StringComparison.Ordinal), bom);
        File.WriteAllText(Dir.Combine("runbook.yaml"), "name: bom\nsteps:\n  - { id: hello, uses: command, with: { run: 'true' } }\n", bom);

        Ok("policy", "set", Dir.Combine("bom.yaml"), "--store", Store, "--key", Key("root"));
        var planned = Execute(Approved(), Dir.Combine("runbook.yaml"), "ops", "--dry-run");

        Assert.True(planned.ExitCode == ExitCodes.Ok, planned.Error);
    }

    public static TheoryData<string> Inputs => ["policy", "entry", "sbom", "envelope", "runbook", "trust file", "key", "passphrase", "vulns"];

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task A_device_a_fifo_or_a_link_to_a_device_is_refused_before_it_is_opened(string input)
    {
        var request = input == "runbook" ? Approved() : 0;
        var checkpoint = File.ReadAllText(Path.Combine(Store, "log", "checkpoint"));
        foreach (var (given, named) in NotFiles(input))
        {
            // A FIFO blocks whoever opens it: a regression fails here (TimeoutException) instead of hanging the suite.
            var outcome = await Task.Run(() => Use(input, given, request)).WaitAsync(TimeSpan.FromMinutes(2));

            Assert.Equal(ExitCodes.InputError, outcome.ExitCode);
            Assert.Contains($"error {ErrorCodes.InputNotRegularFile}:", outcome.Error, StringComparison.Ordinal);
            Assert.Contains($"'{named}' is not a regular file", outcome.Error, StringComparison.Ordinal);
        }
        Assert.Equal(checkpoint, File.ReadAllText(Path.Combine(Store, "log", "checkpoint")));
    }

    [Fact]
    public void A_stores_trust_file_replaced_by_a_link_to_a_device_is_refused_not_read_forever()
    {
        var trust = Path.Combine(Store, "trust.json");
        File.Delete(trust);
        File.CreateSymbolicLink(trust, "/dev/zero");

        var refused = Run("policy", "show", "--store", Store, "--env", "prod");

        Assert.Equal(ExitCodes.InputError, refused.ExitCode);
        Assert.Contains($"error {ErrorCodes.InputNotRegularFile}: the store's trust file '{trust}' is not a regular file", refused.Error, StringComparison.Ordinal);
    }

    // /dev/zero never ends, a FIFO blocks even to open, and a link to /dev/zero looks like a file of length 0; a feed is
    // a folder, so there the link and the FIFO stand among its advisories.
    private IEnumerable<(string Given, string Named)> NotFiles(string input)
    {
        var fifo = Dir.Combine($"fifo-{Guid.NewGuid():N}.json");
        Assert.Equal(0, ExternalProcess.Run("mkfifo", [fifo]).ExitCode);
        var link = Dir.Combine($"zero-{Guid.NewGuid():N}.json");
        File.CreateSymbolicLink(link, "/dev/zero");
        if (input != "vulns")
            return [("/dev/zero", "/dev/zero"), (fifo, fifo), (link, link)];
        return [InFeed(link), InFeed(fifo)];
    }

    private (string Given, string Named) InFeed(string file)
    {
        var feed = Dir.Combine($"feed-{Guid.NewGuid():N}");
        Directory.CreateDirectory(feed);
        File.Copy(Dir.Combine("vulns", "lodash.json"), Path.Combine(feed, "lodash.json"));
        File.Move(file, Path.Combine(feed, Path.GetFileName(file)));
        return (feed, Path.Combine(feed, Path.GetFileName(file)));
    }

    private CliRunner.Outcome Use(string input, string path, long request) => input switch
    {
        "policy" => Run("policy", "set", path, "--store", Store, "--key", Key("root")),
        "entry" => Run("log", "append", Path.Combine(Store, "log"), path),
        "sbom" => Run("release", "publish", "--store", Store, "--app", "doc-signer", "--version", "9.9", "--artifact", Dir.Combine("build-1.0", "app.tar"), "--sbom", path, "--key", Key("ci")),
        "envelope" => Run("release", "publish", "--store", Store, "--envelope", path),
        "runbook" => Execute(request, path, "ops", "--dry-run"),
        "trust file" => Run("init", Dir.Combine("other-store"), "--trust", path),
        "key" => Run("policy", "set", Dir.Combine("policy.yaml"), "--store", Store, "--key", path),
        "passphrase" => Run("key", "generate", "someone", "--keyring", Dir.Combine("ring"), "--passphrase-file", path),
        "vulns" => Run("rollback", "request", "--store", Store, "--env", "prod", "--to", "1.0", "--reason", "critical-bug", "--rationale", "r", "--ticket", "INC-1",
            "--vulns", path, "--key", Key("alice"), "--state", State),
        _ => throw new ArgumentOutOfRangeException(nameof(input)),
    };

    private string ExportedPackage()
    {
        var package = Dir.Combine("evidence.zip");
        Ok("evidence", "export", Approved().ToString(System.Globalization.CultureInfo.InvariantCulture), "--store", Store, "-o", package);
        return package;
    }

    private CliRunner.Outcome VerifyPackage(string package) => Run("evidence", "verify", package, "--trust", Path.Combine(Store, "trust.json"));

    [Fact]
    public void An_evidence_package_with_bytes_before_it_is_refused_not_a_crash()
    {
        var package = ExportedPackage();
        var prefixed = Dir.Combine("prefixed.zip");
        File.WriteAllBytes(prefixed, [.. "#!/bin/sh\nexit 0\n"u8, .. File.ReadAllBytes(package)]);

        var verified = VerifyPackage(prefixed);

        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
        Assert.Contains($"error {ErrorCodes.EvidenceInvalid}: {prefixed} is not a zip archive that starts at its first byte", verified.Error, StringComparison.Ordinal);
        Ok("evidence", "verify", package, "--trust", Path.Combine(Store, "trust.json"));
    }

    [Fact]
    public void An_evidence_package_holding_a_symbolic_link_is_refused()
    {
        var package = ExportedPackage();
        var linked = Dir.Combine("linked.zip");
        using (var original = ZipFile.OpenRead(package))
        using (var copy = ZipFile.Open(linked, ZipArchiveMode.Create))
        {
            foreach (var entry in original.Entries)
            {
                var added = copy.CreateEntry(entry.FullName);
                // The same bytes, marked as a link: unzip would make a link to whatever path they spell.
                if (entry.FullName == "summary.md")
                    added.ExternalAttributes = unchecked((int)0xA1FF0000);
                using var from = entry.Open();
                using var to = added.Open();
                from.CopyTo(to);
            }
        }

        var verified = VerifyPackage(linked);

        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
        Assert.Contains($"error {ErrorCodes.EvidenceInvalid}: {linked}: 'summary.md' is a symbolic link; a package holds only files", verified.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_whose_signed_sbom_digest_names_a_file_that_is_no_sbom_stops_a_request_with_a_clear_error()
    {
        // Signed by the release key, as a CI pipeline could: the SBOM digest names the artifact, which is no JSON.
        var artifact = Dir.Combine("build-1.0", "app.tar");
        Ok("release", "create", "--store", Store, "--app", "doc-signer", "--version", "1.2", "--artifact", artifact,
            "--sbom", Dir.Combine("build-1.0", "sbom.json"), "-o", Dir.Combine("1.2.json"));
        var statement = JsonNode.Parse(File.ReadAllText(Dir.Combine("1.2.json")))!;
        statement["predicate"]!["sbom"]!["digest"] = "sha256:" + Storage.Sha256Digest.Of(File.ReadAllBytes(artifact)).Hex;
        File.WriteAllText(Dir.Combine("1.2.json"), statement.ToJsonString());
        Ok("release", "sign", Dir.Combine("1.2.json"), "--key", Key("ci"), "-o", Dir.Combine("1.2.dsse.json"));
        Ok("release", "publish", "--store", Store, "--envelope", Dir.Combine("1.2.dsse.json"));
        Ok("deploy", "record", "--store", Store, "--env", "prod", "--app", "doc-signer", "--version", "1.2", "--key", Key("ops"), "--state", State);

        var refused = Run("rollback", "request", "--store", Store, "--env", "prod", "--to", "1.0", "--reason", "critical-bug", "--rationale", "r",
            "--ticket", "INC-1", "--key", Key("alice"), "--state", State);

        Assert.Equal(ExitCodes.InputError, refused.ExitCode);
        Assert.Contains($"error {ErrorCodes.SbomInvalid}: the SBOM of doc-signer 1.2 (log entry ", refused.Error, StringComparison.Ordinal);
    }
}
