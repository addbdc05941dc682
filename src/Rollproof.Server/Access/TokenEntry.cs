namespace Rollproof.Server.Access;

/// <summary>
/// One line of a token file: the SHA-256 of a token and the trust name it acts as. An auditor's token reads what
/// the server shows to token holders without its name being in the trust (auditors sign nothing).
/// </summary>
public sealed record TokenEntry(string Name, byte[] Hash, bool Auditor)
{
    public const string AuditorRole = "auditor";

    public string HashText => "sha256:" + Convert.ToHexStringLower(Hash);

    /// <summary>The line as the token file holds it.</summary>
    public override string ToString() => Auditor ? $"{Name} {HashText} {AuditorRole}" : $"{Name} {HashText}";
}
