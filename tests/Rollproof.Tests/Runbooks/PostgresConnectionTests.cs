using Rollproof.Common;
using Rollproof.Runbooks.Steps;

namespace Rollproof.Tests.Runbooks;

/// <summary>Row counts connect over Npgsql: the step's URI and password reference become a connection string, and nothing else does.</summary>
public sealed class PostgresConnectionTests : IDisposable
{
    private readonly string _variable = $"ROLLPROOF_TEST_PG_{Guid.NewGuid():N}";

    public PostgresConnectionTests() => Environment.SetEnvironmentVariable(_variable, "pg-s3cr3t");

    public void Dispose() => Environment.SetEnvironmentVariable(_variable, null);

    private static PostgresSession Session(string? password = null) =>
        new(password is null ? null : SecretReference.Parse(password, "password").Value, TimeSpan.FromMinutes(2));

    [Fact]
    public void The_uri_and_the_password_reference_make_the_connection_settings()
    {
        var settings = PostgresConnection.Settings("postgresql://app%40ops@127.0.0.1:6543/docs?sslmode=disable&application_name=rollproof", Session($"env:{_variable}")).Value;

        Assert.Equal(("127.0.0.1", 6543, "app@ops", "docs", "pg-s3cr3t"), (settings.Host, settings.Port, settings.Username, settings.Database, settings.Password));
        Assert.Equal((Npgsql.SslMode.Disable, "rollproof", 10, 120), (settings.SslMode, settings.ApplicationName, settings.Timeout, settings.CommandTimeout));
    }

    [Fact]
    public void A_uri_parameter_rollproof_does_not_pass_on_fails_naming_it()
    {
        var settings = PostgresConnection.Settings("postgresql://app@127.0.0.1/docs?options=-c%20x", Session());

        Assert.Equal(ErrorCodes.StepFailed, settings.Problem?.Code);
        Assert.Contains("'options=-c x'", settings.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_password_fails_without_connecting_and_names_the_reference_only()
    {
        var settings = PostgresConnection.Settings("postgresql://app@127.0.0.1/docs", Session("env:ROLLPROOF_TEST_PG_UNSET_VARIABLE"));

        Assert.Contains("the password cannot be read", settings.Problem?.Message, StringComparison.Ordinal);
        Assert.Contains("ROLLPROOF_TEST_PG_UNSET_VARIABLE", settings.Problem!.Message, StringComparison.Ordinal);
    }
}
