using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Rollproof.Server.Access;

/// <summary>
/// An API token: <c>rpt_</c> and 32 random bytes in base64url (256 bits). The server keeps only its SHA-256: a token
/// is random, not a password, so an unsalted fast hash gives nothing to guess from, and a leaked token file grants nothing.
/// </summary>
public static class ApiToken
{
    public const string Prefix = "rpt_";

    public const int RandomBytes = 32;

    /// <summary>Longer than any token this server mints; a longer Authorization value is refused before it is hashed.</summary>
    public const int MaxLength = 256;

    public static string New() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
