using Rollproof.Rollbacks.Risk;
using Rollproof.Signing;

namespace Rollproof.Tests.Rollbacks.Risk;

public class VersionOrderTests
{
    [Theory]
    [InlineData("1.0.0", "1.0.1", -1)]
    [InlineData("1.10.0", "1.9.0", 1)]
    [InlineData("v2.0.0", "2.0.0", 0)]
    [InlineData("1.0.0-alpha", "1.0.0", -1)]
    [InlineData("1.0.0-alpha", "1.0.0-alpha.1", -1)]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.beta", -1)]
    [InlineData("1.0.0-beta.2", "1.0.0-beta.11", -1)]
    [InlineData("1.0.0-rc.1", "1.0.0-beta.11", 1)]
    [InlineData("1.0.0+build.1", "1.0.0+build.2", 0)]
    [InlineData("4.17.21", "4.17.20", 1)]
    [InlineData("1.2", "1.10", -1)]
    [InlineData("2024.01.15", "2023.12.31", 1)]
    [InlineData("1.2", "1.2.0", 0)]
    public void Versions_order_as_semver_or_dotted_numbers(string a, string b, int expected)
    {
        Assert.Equal(expected, Math.Sign(VersionOrder.Compare(a, b)!.Value));
        Assert.Equal(-expected, Math.Sign(VersionOrder.Compare(b, a)!.Value));
    }

    [Theory]
    [InlineData("abc", "xyz")]
    [InlineData("1.0-final", "1.0-beta")]
    [InlineData("2.0.0", "release-7")]
    public void Versions_that_cannot_be_ordered_are_not_guessed(string a, string b) => Assert.Null(VersionOrder.Compare(a, b));

    [Theory]
    [InlineData("pkg:deb/debian/openssl", "3.0.11-1", "3.0.11", 1)] // a Debian revision comes after, where SemVer's pre-release would come before
    [InlineData("pkg:pypi/requests", "2.31.0-1", "2.31.0", 1)] // PEP 440 reads 2.31.0-1 as the post-release 2.31.0.post1
    [InlineData("pkg:maven/org.example/lib", "1.0.0-SNAPSHOT", "1.0.0", null)]
    [InlineData("pkg:gem/rails", "7.1.0-rc1", "7.1.0", null)]
    public void Ecosystems_that_are_not_semver_are_not_ordered_as_semver(string key, string a, string b, int? expected)
    {
        Assert.Equal(-1, Math.Sign(VersionOrder.Compare(a, b)!.Value));
        Assert.Equal(expected, VersionOrder.Compare(a, b, key) is { } order ? Math.Sign(order) : null);
    }

    [Theory]
    [InlineData("pkg:deb/debian/openssl", "3.0.11", "3.0.9", 1)]
    [InlineData("pkg:npm/lodash", "4.17.21", "4.17.21-rc.1", 1)]
    [InlineData("pkg:pypi/requests", "2.31", "2.31.0", 0)]
    public void Ecosystem_orders_agree_on_plain_numbers_and_semver_ecosystems_keep_semver(string key, string a, string b, int expected) =>
        Assert.Equal(expected, Math.Sign(VersionOrder.Compare(a, b, key)!.Value));
}

public sealed class SignerKeyStatusTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly PrivateKey _key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);

    public void Dispose() => _key.Dispose();

    [Theory]
    [InlineData(null, null, KeyStatus.Valid)]
    [InlineData("2027-01-01T00:00:00Z", null, KeyStatus.Valid)]
    [InlineData("2026-06-01T00:00:00Z", null, KeyStatus.Rotated)]
    [InlineData("2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z", KeyStatus.Revoked)]
    [InlineData(null, "2026-10-31T00:00:00Z", KeyStatus.Revoked)]
    [InlineData(null, "2026-12-01T00:00:00Z", KeyStatus.Valid)]
    public void A_keys_status_now_comes_from_its_window_and_revocation(string? until, string? revoked, KeyStatus expected)
    {
        var key = new TrustedKey("ci", _key.PublicKey, new HashSet<string>(["release"]), new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
            until is null ? null : DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture),
            revoked is null ? null : DateTimeOffset.Parse(revoked, System.Globalization.CultureInfo.InvariantCulture));
        var trust = TrustFile.Parse(TrustFile.Empty.With(key).ToJson()).Value;

        Assert.Equal(expected, SignerKeyStatus.Of(trust, _key.PublicKey.KeyId, Now));
        Assert.Equal(key.RevokedAt, trust.Keys[0].RevokedAt);
    }

    [Fact]
    public void A_revoked_key_signs_nothing_valid_from_its_revocation()
    {
        var revokedAt = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var trust = TrustFile.Empty.With(new TrustedKey("ci", _key.PublicKey, new HashSet<string>(["release"]), revokedAt.AddYears(-1), null, revokedAt));

        Assert.True(trust.Authorize(_key.PublicKey.KeyId, "release", revokedAt.AddSeconds(-1), 1).IsOk);
        Assert.Contains("revoked at", trust.Authorize(_key.PublicKey.KeyId, "release", revokedAt, 1).Problem!.Message, StringComparison.Ordinal);
    }
}
