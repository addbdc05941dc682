namespace Rollproof.Sigstore.Verification;

/// <summary>
/// Whom the caller expects to have signed a bundle: a public key it holds (SubjectPublicKeyInfo DER), or a keyless
/// signer known by its certificate's identity (a SAN URI or email) and the OIDC issuer Fulcio recorded in it.
/// </summary>
public sealed record ExpectedSigner
{
    private ExpectedSigner(byte[]? publicKeySpki, string? identity, string? oidcIssuer)
    {
        PublicKeySpki = publicKeySpki;
        Identity = identity;
        OidcIssuer = oidcIssuer;
    }

    public byte[]? PublicKeySpki { get; }

    public string? Identity { get; }

    public string? OidcIssuer { get; }

    public static ExpectedSigner Key(byte[] publicKeySpki) => new(publicKeySpki, null, null);

    public static ExpectedSigner Certificate(string identity, string oidcIssuer) => new(null, identity, oidcIssuer);
}
