using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rollproof.Common;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// The signed certificate timestamps Fulcio embeds in a certificate (RFC 6962 §3.3): at least one must be signed by
/// a CT log in the trusted root, over the precertificate as the log saw it (the certificate's TBS without the SCT
/// list extension, and the SHA-256 of the issuer's key), at a time inside that log key's validity.
/// </summary>
internal static class EmbeddedSctVerifier
{
    private const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";
    private const int MaxScts = 32;
    private static readonly Asn1Tag ExtensionsTag = new(TagClass.ContextSpecific, 3, isConstructed: true);

    // A CT log's key, imported once per trusted root (an import costs more than a verification) and never disposed.
    private static readonly ConditionalWeakTable<TransparencyLogInstance, StrongBox<Result<SigningKey>>> s_logKeys = new();

    public static Result<int> Verify(X509Certificate2 leaf, X509Certificate2 issuer, IReadOnlyList<TransparencyLogInstance> ctlogs)
    {
        if (leaf.Extensions[SctListOid] is not { } extension)
            return Result<int>.Fail(ErrorCodes.SctInvalid, "the signing certificate embeds no signed certificate timestamps, so no CT log vouches for it");
        try
        {
            var list = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadOctetString();
            var precertificate = PrecertificateTbs(leaf.RawData);
            var issuerKeyHash = SHA256.HashData(issuer.PublicKey.ExportSubjectPublicKeyInfo());
            var verified = 0;
            foreach (var sct in Split(list))
                verified += VerifyOne(sct, precertificate, issuerKeyHash, ctlogs) ? 1 : 0;
            return verified > 0
                ? Result<int>.Ok(verified)
                : Result<int>.Fail(ErrorCodes.SctInvalid, "none of the signing certificate's embedded SCTs verifies with a CT log key in the trusted root at its time");
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or FormatException)
        {
            return Result<int>.Fail(ErrorCodes.SctInvalid, $"the signing certificate's SCT list cannot be read: {e.Message}");
        }
    }

    // SignedCertificateTimestampList: u16 length, then u16-length-prefixed SCTs.
    private static List<byte[]> Split(byte[] list)
    {
        if (list.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(list) != list.Length - 2)
            throw new FormatException("the SCT list's length does not match its contents");
        var scts = new List<byte[]>();
        for (var at = 2; at < list.Length;)
        {
            if (at + 2 > list.Length || scts.Count == MaxScts)
                throw new FormatException("the SCT list is truncated or holds too many SCTs");
            var length = BinaryPrimitives.ReadUInt16BigEndian(list.AsSpan(at));
            if (at + 2 + length > list.Length)
                throw new FormatException("an SCT runs past the end of the list");
            scts.Add(list[(at + 2)..(at + 2 + length)]);
            at += 2 + length;
        }
        return scts;
    }

    // SCT v1: version, log ID (32), timestamp (ms), extensions (u16-prefixed), hash and signature algorithms, signature (u16-prefixed).
    private static bool VerifyOne(byte[] sct, byte[] tbs, byte[] issuerKeyHash, IReadOnlyList<TransparencyLogInstance> ctlogs)
    {
        const int fixedHead = 1 + 32 + 8 + 2;
        if (sct.Length < fixedHead || sct[0] != 0)
            return false;
        var logId = sct.AsSpan(1, 32);
        var milliseconds = BinaryPrimitives.ReadUInt64BigEndian(sct.AsSpan(33));
        var extensionsLength = BinaryPrimitives.ReadUInt16BigEndian(sct.AsSpan(41));
        var at = fixedHead + extensionsLength;
        if (at + 4 > sct.Length || milliseconds > (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            return false;
        var extensions = sct.AsSpan(fixedHead, extensionsLength);
        var (hashAlgorithm, signatureLength) = (sct[at], BinaryPrimitives.ReadUInt16BigEndian(sct.AsSpan(at + 2)));
        if (hashAlgorithm != 4 || at + 4 + signatureLength != sct.Length)
            return false;
        var signature = sct.AsSpan(at + 4, signatureLength);
        var time = DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
        var signed = SignedData(sct.AsSpan(33, 8), issuerKeyHash, tbs, extensions);
        foreach (var log in ctlogs)
        {
            if (!log.LogId.AsSpan().SequenceEqual(logId) || !log.ValidFor.Contains(time))
                continue;
            var key = s_logKeys.GetValue(log, l => new(SigningKey.FromSpki(l.PublicKeySpki))).Value;
            if (key.IsOk && key.Value.VerifyData(signed, signature))
                return true;
        }
        return false;
    }

    // digitally-signed struct: version 0, signature_type certificate_timestamp (0), timestamp, entry_type precert_entry (1),
    // issuer_key_hash, the TBS (u24-prefixed), the SCT's extensions (u16-prefixed).
    private static byte[] SignedData(ReadOnlySpan<byte> timestamp, byte[] issuerKeyHash, byte[] tbs, ReadOnlySpan<byte> extensions)
    {
        var data = new byte[2 + 8 + 2 + 32 + 3 + tbs.Length + 2 + extensions.Length];
        var span = data.AsSpan();
        timestamp.CopyTo(span[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], 1);
        issuerKeyHash.CopyTo(span[12..]);
        span[44] = (byte)(tbs.Length >> 16);
        span[45] = (byte)(tbs.Length >> 8);
        span[46] = (byte)tbs.Length;
        tbs.CopyTo(span[47..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[(47 + tbs.Length)..], (ushort)extensions.Length);
        extensions.CopyTo(span[(49 + tbs.Length)..]);
        return data;
    }

    /// <summary>The certificate's TBSCertificate re-encoded without the SCT list extension: what the CT log signed.</summary>
    private static byte[] PrecertificateTbs(byte[] certificate)
    {
        var tbs = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            while (tbs.HasData)
            {
                if (tbs.PeekTag() != ExtensionsTag)
                {
                    writer.WriteEncodedValue(tbs.ReadEncodedValue().Span);
                    continue;
                }
                var extensions = tbs.ReadSequence(ExtensionsTag).ReadSequence();
                using (writer.PushSequence(ExtensionsTag))
                using (writer.PushSequence())
                {
                    while (extensions.HasData)
                    {
                        var extension = extensions.ReadEncodedValue();
                        if (new AsnReader(extension, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier() != SctListOid)
                            writer.WriteEncodedValue(extension.Span);
                    }
                }
            }
        }
        return writer.Encode();
    }
}
