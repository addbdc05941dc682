using Rollproof.Common;
using Rollproof.Runbooks;
using Rollproof.Testing;

namespace Rollproof.Tests.Runbooks;

/// <summary>Secrets are named by reference, resolved only when used, and a runbook holding one written inline is refused naming the field, never the value.</summary>
public sealed class RunbookSecretsTests : IDisposable
{
    private static readonly IReadOnlySet<string> Known = new HashSet<string>(["command", "notify", "snapshot"]);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("notify", "webhook", "https://bot:hunter2@hooks.example/T0", "a URL with user:password@")]
    [InlineData("notify", "webhook", "https://hooks.example/T0?channel=ops&token=hunter2", "a 'token=' query parameter")]
    [InlineData("snapshot", "postgres", "postgresql://app:hunter2@db.example:5432/shop", "a URL with user:password@")]
    [InlineData("snapshot", "postgres", "postgresql://app@db.example/shop?sslmode=require&password=hunter2", "a 'password=' query parameter")]
    [InlineData("command", "run", "git clone https://ci:hunter2@git.example/shop.git", "a URL with user:password@")]
    public void A_credential_written_inline_is_refused_naming_step_and_field_but_not_the_value(string uses, string field, string value, string what)
    {
        var runbook = RunbookYaml.Parse($"name: r\nsteps:\n  - id: s\n    uses: {uses}\n    with: {{ {field}: '{value}' }}\n", Known).Value;

        var problem = RunbookSecrets.Check(runbook);

        Assert.Equal(ErrorCodes.SecretInline, problem?.Code);
        Assert.Contains($"step 's', field '{field}': a credential is written inline ({what})", problem!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("webhook", "https://hooks.example/T0")]
    [InlineData("webhook", "env:TEAM_HOOK")]
    [InlineData("password", "file:/run/secrets/pg")]
    [InlineData("postgres", "postgresql://app@db.example:5432/shop")]
    public void References_and_urls_without_credentials_pass(string field, string value)
    {
        var runbook = RunbookYaml.Parse($"name: r\nsteps:\n  - id: s\n    uses: snapshot\n    with: {{ {field}: '{value}' }}\n", Known).Value;

        Assert.Null(RunbookSecrets.Check(runbook));
    }

    [Fact]
    public void A_secret_variable_fills_only_a_field_taking_a_reference_and_the_runbook_holds_the_reference()
    {
        var secrets = RunbookVariables.ParseSecrets(["hook=env:TEAM_HOOK", "pg=file:/run/secrets/pg"]).Value;

        var filled = RunbookVariables.Fill("steps:\n  - with: { webhook: '{{vars.hook}}', phase: internal }\n  - with:\n      password: \"{{ vars.pg }}\"\n", new Dictionary<string, string>(), secrets);
        var misplaced = RunbookVariables.Fill("steps:\n  - with: { run: 'curl -u me:{{vars.pg}} x' }\n", new Dictionary<string, string>(), secrets);
        var literal = RunbookVariables.ParseSecrets(["pg=hunter2"]);

        Assert.Equal("steps:\n  - with: { webhook: 'env:TEAM_HOOK', phase: internal }\n  - with:\n      password: \"file:/run/secrets/pg\"\n", filled.Value);
        Assert.Equal(ErrorCodes.SecretInline, misplaced.Problem?.Code);
        Assert.Contains("--secret pg is used on line 2 outside a field that takes a secret reference", misplaced.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.SecretInline, literal.Problem?.Code);
        Assert.DoesNotContain("hunter2", literal.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reference_is_read_when_resolved_and_says_which_reference_failed()
    {
        var file = _dir.Combine("pg");
        File.WriteAllText(file, "hunter2\n");
        var variable = $"ROLLPROOF_TEST_SECRET_{Guid.NewGuid():N}";

        var fromFile = SecretReference.Parse($"file:{file}", "password").Value.Resolve();
        var unset = SecretReference.Parse($"env:{variable}", "password").Value.Resolve();
        var relative = SecretReference.Parse("file:secrets/pg", "password");

        Assert.Equal("hunter2", fromFile.Value);
        Assert.Equal((ErrorCodes.SecretUnavailable, $"secret env:{variable}: the environment variable is not set"), (unset.Problem!.Code, unset.Problem.Message));
        Assert.Equal(ErrorCodes.SecretInline, relative.Problem?.Code);
    }
}
