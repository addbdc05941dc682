using System.CommandLine;
using System.CommandLine.Parsing;
using Rollproof.Cli.Commands.Sigstore;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Sigstore.Verification;

namespace Rollproof.Cli.Commands.Releases;

/// <summary>
/// The cosign bundles CI made for a release's artifacts, with the signer they must show (an identity and OIDC issuer,
/// or a key) and the trusted root to verify them against; 'release publish' verifies them and binds them in the statement.
/// </summary>
internal sealed class CosignBundleOptions
{
    public Option<string[]> Bundles { get; } = new("--cosign-bundle") { Description = "A cosign bundle for one artifact of the release, NAME=FILE (NAME: the artifact's file name; repeat for each). Verified at publish, bound by digest in the signed statement, and verified again by 'release verify' and before a rollback", AllowMultipleArgumentsPerToken = true };

    public Option<string?> Identity { get; } = new("--cosign-identity") { Description = "The certificate identity (SAN) the cosign bundles must be signed by, with --cosign-oidc-issuer" };

    public Option<string?> OidcIssuer { get; } = new("--cosign-oidc-issuer") { Description = "The OIDC issuer of that identity" };

    public Option<string?> Key { get; } = new("--cosign-key") { Description = "The PEM public key the cosign bundles are signed with, instead of an identity" };

    public Option<string?> TrustedRoot { get; } = new("--cosign-trusted-root") { Description = "A Sigstore trusted_root.json to verify the cosign bundles against, kept by digest with the release (default: Sigstore's public-good root built into Rollproof)" };

    public IEnumerable<Option> All => [Bundles, Identity, OidcIssuer, Key, TrustedRoot];

    /// <summary>Bundles need exactly one expected signer, a key or an identity with its issuer; signer options need bundles.</summary>
    public void Validate(CommandResult result)
    {
        var keyless = (result.GetResult(Identity) is not null, result.GetResult(OidcIssuer) is not null);
        var key = result.GetResult(Key) is not null;
        if (result.GetResult(Bundles) is null)
        {
            if (key || keyless != (false, false) || result.GetResult(TrustedRoot) is not null)
                result.AddError("--cosign-identity, --cosign-oidc-issuer, --cosign-key and --cosign-trusted-root go with --cosign-bundle");
            return;
        }
        if (key ? keyless != (false, false) : keyless != (true, true))
            result.AddError("--cosign-bundle needs --cosign-key, or both --cosign-identity and --cosign-oidc-issuer");
        foreach (var bundle in result.GetValue(Bundles) ?? [])
        {
            if (Split(bundle) is null)
                result.AddError($"--cosign-bundle '{bundle}': expected NAME=FILE");
        }
    }

    public Result<CosignBundleDraft?> Read(ParseResult parse)
    {
        if (parse.GetValue(Bundles) is not { Length: > 0 } given)
            return Result<CosignBundleDraft?>.Ok(null);
        var bundles = new List<KeyValuePair<string, byte[]>>();
        foreach (var text in given)
        {
            var (name, file) = Split(text)!.Value;
            var bytes = InputFile.Read(file, SigstoreBundleVerifier.MaxBundleSize, $"cosign bundle for '{name}'");
            if (!bytes.IsOk)
                return bytes.Problem;
            bundles.Add(new(name, bytes.Value));
        }
        ExpectedSigner signer;
        if (parse.GetValue(Key) is { } keyFile)
        {
            var spki = PemPublicKey.Read(keyFile);
            if (!spki.IsOk)
                return spki.Problem;
            signer = ExpectedSigner.Key(spki.Value);
        }
        else
        {
            signer = ExpectedSigner.Certificate(parse.GetValue(Identity)!, parse.GetValue(OidcIssuer)!);
        }
        byte[]? root = null;
        if (parse.GetValue(TrustedRoot) is { } rootFile)
        {
            var read = InputFile.Read(rootFile, TrustedRootMaterial.MaxSize, "trusted root");
            if (!read.IsOk)
                return read.Problem;
            root = read.Value;
        }
        return Result<CosignBundleDraft?>.Ok(new CosignBundleDraft(bundles, signer, root));
    }

    private static (string Name, string File)? Split(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && equals < text.Length - 1 ? (text[..equals], text[(equals + 1)..]) : null;
    }
}
