using Rollproof.Testing;

namespace Rollproof.Cli.Tests;

/// <summary>The test classes that use the token: it is made once per process, as SoftHSM reads its configuration once.</summary>
[CollectionDefinition(Name)]
public sealed class SoftHsmTests : ICollectionFixture<SoftHsmToken>
{
    public const string Name = "SoftHSM2 token";
}
