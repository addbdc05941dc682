using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// A certificate authority of a trusted root with its own chain verified once: each certificate signed by the next,
/// under its name, by a certificate authority allowed to sign certificates; no critical extension left unapplied;
/// the root itself is the trust anchor. A certificate then chains to it at a time with one signature, that of the
/// authority's certificate that issued it, and the constraints X.509 puts on the path (RFC 5280 §6.1): every
/// certificate valid at that time (both ends inclusive), path lengths, no critical extension left unapplied. An
/// authority whose chain does not verify vouches for nothing. Kept with its <see cref="CertificateAuthority"/>, so a
/// trusted root parsed once has its chains verified once.
/// </summary>
internal sealed class VerifiedAuthority
{
    private static readonly ConditionalWeakTable<CertificateAuthority, VerifiedAuthority> s_verified = new();

    private readonly IReadOnlyList<X509Certificate2> _chain;
    private readonly byte[][] _subjects;
    private readonly IssuerKey?[] _issuerKeys; // of the certificates that may issue others, null for the rest
    private readonly int?[] _pathLengths;

    private VerifiedAuthority(CertificateAuthority authority)
    {
        _chain = authority.Chain;
        var count = _chain.Count;
        _subjects = [.. _chain.Select(c => c.SubjectName.RawData)];
        _issuerKeys = new IssuerKey?[count];
        _pathLengths = new int?[count];
        for (var i = count - 1; i >= 0 && Unusable is null; i--)
            Unusable = Verify(i);
    }

    /// <summary>Why the authority's own chain does not verify, null when it does.</summary>
    public string? Unusable { get; }

    public static VerifiedAuthority Of(CertificateAuthority authority) => s_verified.GetValue(authority, a => new VerifiedAuthority(a));

    /// <summary>For a refusal's message: which of <paramref name="authorities"/> vouch for nothing, and why ("" when all may).</summary>
    public static string UnusableAmong(IEnumerable<CertificateAuthority> authorities) =>
        string.Concat(authorities.Where(a => Of(a).Unusable is not null).Select(a => $"; the authority '{a.Uri}' vouches for nothing, since {Of(a).Unusable}"));

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to the authority's root with every certificate of the path valid
    /// at <paramref name="time"/>; <paramref name="issuer"/> is the authority's certificate that issued it (the root's
    /// own issuer is itself).
    /// </summary>
    public bool Chains(X509Certificate2 certificate, DateTimeOffset time, out X509Certificate2? issuer)
    {
        issuer = null;
        if (Unusable is not null || !Certificates.ValidAt(certificate, time))
            return false;
        // A certificate the chain lists (a timestamp authority's own) was verified with it; any other needs its issuer here.
        var listed = IndexOf(certificate);
        var first = listed >= 0 ? listed + 1 : IssuerOf(certificate);
        if (first < 0)
            return false;
        for (var i = first; i < _chain.Count; i++)
        {
            if (!Certificates.ValidAt(_chain[i], time) || _pathLengths[i] < i - first)
                return false;
        }
        issuer = first < _chain.Count ? _chain[first] : certificate;
        return true;
    }

    // Checks chain[i] as an issuer of chain[i - 1] (or of leaves) and, unless it is the root, as issued by chain[i + 1].
    private string? Verify(int i)
    {
        var certificate = _chain[i];
        var at = $"certificate {i + 1} of its chain ('{certificate.Subject}')";
        if (CertificateProfile.UnappliedCriticalExtension(certificate) is { } unapplied)
            return $"{at}: {unapplied}";
        var notIssuer = CertificateProfile.WhyNotIssuer(certificate, out _pathLengths[i]);
        if (notIssuer is not null && i > 0)
            return $"{at} issues the one before it, but {notIssuer}";
        if (notIssuer is null)
        {
            var (key, unusable) = IssuerKey.Of(certificate);
            if (key is null && i > 0)
                return $"{at} issues the one before it, but {unusable}";
            _issuerKeys[i] = key;
        }
        if (i == _chain.Count - 1)
            return null;
        return IssuedBy(certificate, SignedCertificate.Parse(certificate.RawDataMemory), i + 1) ? null : $"{at} is not signed, under its issuer's name, by certificate {i + 2}";
    }

    private int IssuerOf(X509Certificate2 certificate)
    {
        if (CertificateProfile.UnappliedCriticalExtension(certificate) is not null)
            return -1;
        var signed = SignedCertificate.Parse(certificate.RawDataMemory);
        for (var i = 0; i < _chain.Count; i++)
        {
            if (IssuedBy(certificate, signed, i))
                return i;
        }
        return -1;
    }

    private bool IssuedBy(X509Certificate2 certificate, SignedCertificate? signed, int issuer) =>
        _issuerKeys[issuer] is { } key
        && signed is { } parts
        && certificate.IssuerName.RawData.AsSpan().SequenceEqual(_subjects[issuer])
        && key.Signed(parts);

    private int IndexOf(X509Certificate2 certificate)
    {
        for (var i = 0; i < _chain.Count; i++)
        {
            if (_chain[i].RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
                return i;
        }
        return -1;
    }
}
