using Rollproof.Releases;
using Rollproof.Signing;

namespace Rollproof.Integration.Tests;

/// <summary>A small release of "shop" with two files (server.tar, assets.tar) published to a store, for the registry tests.</summary>
internal static class ShopRelease
{
    public const string Version = "1.0.0+build.7";

    /// <param name="flavour">Makes the files' content, and so their digests, this test's own (a registry shares blobs across repositories).</param>
    public static async Task<(ReleaseStore Store, PublishedRelease Published)> PublishAsync(ReleaseStore store, string dir, string flavour = "", IReadOnlyList<ResolvedImage>? images = null)
    {
        Directory.CreateDirectory(dir);
        var suffix = flavour.Length == 0 ? "" : " " + flavour;
        File.WriteAllText(Path.Combine(dir, "server.tar"), "shop 1.0.0 server" + suffix);
        File.WriteAllText(Path.Combine(dir, "assets.tar"), "shop 1.0.0 assets" + suffix);
        using var ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var draft = new ReleaseDraft("shop", Version, [Path.Combine(dir, "server.tar"), Path.Combine(dir, "assets.tar")], null, null, null, null, null, null, images);
        var published = await store.PublishAsync(draft, ci, TimeProvider.System, sigstoreBundle: true);
        Assert.True(published.IsOk, published.IsOk ? "" : published.Problem.Message);
        return (store, published.Value);
    }
}
