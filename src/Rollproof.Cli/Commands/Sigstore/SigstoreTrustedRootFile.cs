using Rollproof.Common;
using Rollproof.Sigstore.Verification;

namespace Rollproof.Cli.Commands.Sigstore;

/// <summary>The trusted root <c>verify-bundle</c> verifies against: the file given, else Sigstore's built-in one.</summary>
internal static class SigstoreTrustedRootFile
{
    public static Result<TrustedRootMaterial> Load(string? path, bool staging)
    {
        var json = path is null ? BuiltIn(staging) : InputFile.Read(path, TrustedRootMaterial.MaxSize, "trusted root");
        if (!json.IsOk)
            return json.Problem;
        var parsed = TrustedRootMaterial.Parse(json.Value);
        return parsed.IsOk || path is null ? parsed : parsed.Problem with { Message = $"trusted root '{path}': {parsed.Problem.Message}" };
    }

    /// <summary>
    /// The <c>trusted_root.json</c> built into the command: Sigstore's public-good instance, or its staging one. This
    /// is the single place the embedded roots are read from.
    /// </summary>
    private static Result<byte[]> BuiltIn(bool staging) =>
        Result<byte[]>.Ok((staging ? SigstoreTrustedRoots.Staging : SigstoreTrustedRoots.PublicGood).ToArray());
}
