using System.Text;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Cli.Infrastructure;

/// <summary>A PEM public key named on the command line, read bounded, with problems that name the file.</summary>
internal static class PublicKeyFile
{
    /// <summary>A PEM public key is a few hundred bytes; a file far larger is not one.</summary>
    public const int MaxSize = 16 * 1024;

    public static Result<PublicKey> Read(string path)
    {
        var pem = InputFile.Read(path, MaxSize, "public key file");
        if (!pem.IsOk)
            return pem.Problem;
        var key = PublicKey.FromPem(Encoding.UTF8.GetString(pem.Value));
        return key.IsOk ? key : key.Problem with { Message = $"public key file '{path}': {key.Problem.Message}" };
    }
}
