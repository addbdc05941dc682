using Rollproof.Formats;

namespace Rollproof.Signing;

/// <summary>A statement signer whose public half is known, so what it signs can be checked and published with its key.</summary>
public interface IStatementSigner : IBytesSigner
{
    PublicKey PublicKey { get; }
}
