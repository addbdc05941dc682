using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Rollproof.Common;

namespace Rollproof.Signing.Pkcs11;

/// <summary>
/// Signs with an ECDSA P-256 private key that never leaves a PKCS#11 token (an HSM, SoftHSM2). The digest is computed
/// here and the token signs it with CKM_ECDSA; its raw r||s is re-encoded as DER, the form Rollproof's ECDSA keys
/// write. Each signature opens, logs into and closes its own session; the module is loaded once per process.
/// </summary>
public sealed class Pkcs11Signer : IStatementSigner
{
    private const int P256FieldSize = 32;
    private static readonly byte[] P256Oid = Convert.FromHexString("06082a8648ce3d030107");
    private static readonly Pkcs11InteropFactories Factories = new();
    private static readonly ConcurrentDictionary<string, IPkcs11Library> Libraries = new(StringComparer.Ordinal);

    // Pkcs11Interop 5 loads modules through dlopen in "libdl", a name glibc 2.34+ (Debian 12) ships only as
    // libdl.so.2 unless libc6-dev is installed; point it at the runtime library every glibc system has.
    static Pkcs11Signer() =>
        NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, (name, assembly, path) =>
            name == "libdl" && OperatingSystem.IsLinux() ? NativeLibrary.Load("libdl.so.2") : IntPtr.Zero);

    private readonly ISlot _slot;
    private readonly Pkcs11Uri _uri;
    private readonly string _pin;

    private Pkcs11Signer(ISlot slot, Pkcs11Uri uri, string pin, PublicKey publicKey)
    {
        _slot = slot;
        _uri = uri;
        _pin = pin;
        PublicKey = publicKey;
    }

    public PublicKey PublicKey { get; }

    public string KeyId => PublicKey.KeyId;

    /// <summary>Finds the token and key, checks the PIN, and reads the public key; every failure names what is missing, never the PIN.</summary>
    public static Result<Pkcs11Signer> Open(Pkcs11Uri uri, string modulePath, string pin)
    {
        try
        {
            var slot = FindSlot(Library(modulePath), uri, modulePath);
            if (!slot.IsOk)
                return slot.Problem;
            using var session = Login(slot.Value, pin);
            var key = FindKey(session, uri, CKO.CKO_PRIVATE_KEY, "private key");
            if (!key.IsOk)
                return key.Problem;
            var publicKey = ReadPublicKey(session, uri);
            session.Logout();
            return publicKey.IsOk ? Result<Pkcs11Signer>.Ok(new Pkcs11Signer(slot.Value, uri, pin, publicKey.Value)) : publicKey.Problem;
        }
        catch (Pkcs11Exception e) when (e.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_INVALID or CKR.CKR_PIN_LEN_RANGE or CKR.CKR_PIN_EXPIRED or CKR.CKR_PIN_LOCKED)
        {
            return new Problem(ErrorCodes.Pkcs11LoginFailed, $"{uri.Describe()}: the token refused the PIN ({e.RV})");
        }
        catch (Exception e) when (e is Pkcs11Exception or UnmanagedException or LibraryArchitectureException)
        {
            return Unavailable($"{uri.Describe()} in module '{modulePath}': {e.Message}");
        }
    }

    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var digest = SHA256.HashData(data);
        byte[] raw;
        try
        {
            using var session = Login(_slot, _pin);
            var key = FindKey(session, _uri, CKO.CKO_PRIVATE_KEY, "private key");
            if (!key.IsOk)
                throw new ProblemException(key.Problem);
            raw = session.Sign(session.Factories.MechanismFactory.Create(CKM.CKM_ECDSA), key.Value, digest);
            session.Logout();
        }
        catch (Pkcs11Exception e)
        {
            throw new ProblemException(Unavailable($"{_uri.Describe()}: signing failed: {e.Message}"));
        }
        var signature = RawToDer(raw);
        return PublicKey.Verify(data, signature)
            ? signature
            : throw new ProblemException(Unavailable($"{_uri.Describe()}: the token's signature does not verify with its public key {KeyId}"));
    }

    private static IPkcs11Library Library(string modulePath) =>
        Libraries.GetOrAdd(modulePath, path => Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, path, AppType.MultiThreaded));

    private static Result<ISlot> FindSlot(IPkcs11Library library, Pkcs11Uri uri, string modulePath)
    {
        var tokens = library.GetSlotList(SlotsType.WithTokenPresent)
            .Select(slot => (slot, label: slot.GetTokenInfo().Label.TrimEnd()))
            .ToList();
        var matching = tokens.Where(t => uri.Token is null || t.label == uri.Token).ToList();
        return matching.Count switch
        {
            1 => Result<ISlot>.Ok(matching[0].slot),
            0 => Unavailable($"no token '{uri.Token}' in module '{modulePath}'; its tokens: {string.Join(", ", tokens.Select(t => $"'{t.label}'"))}"),
            _ => Unavailable($"{matching.Count} tokens in module '{modulePath}' match: name one with token=LABEL"),
        };
    }

    private static ISession Login(ISlot slot, string pin)
    {
        var session = slot.OpenSession(SessionType.ReadOnly);
        try
        {
            session.Login(CKU.CKU_USER, pin);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static Result<IObjectHandle> FindKey(ISession session, Pkcs11Uri uri, CKO kind, string what)
    {
        var attributes = Factories.ObjectAttributeFactory;
        List<IObjectAttribute> template = [attributes.Create(CKA.CKA_CLASS, kind)];
        if (uri.Label is not null)
            template.Add(attributes.Create(CKA.CKA_LABEL, uri.Label));
        if (uri.Id is not null)
            template.Add(attributes.Create(CKA.CKA_ID, uri.Id));
        var found = session.FindAllObjects(template);
        return found.Count switch
        {
            1 => Result<IObjectHandle>.Ok(found[0]),
            0 => Unavailable($"{uri.Describe()}: the token holds no {what} with that label/id"),
            _ => Unavailable($"{uri.Describe()}: {found.Count} {what}s match: add id= to choose one"),
        };
    }

    // CKA_EC_POINT is the uncompressed point wrapped in a DER OCTET STRING (PKCS#11 2.40); the public key must be on P-256.
    private static Result<PublicKey> ReadPublicKey(ISession session, Pkcs11Uri uri)
    {
        var handle = FindKey(session, uri, CKO.CKO_PUBLIC_KEY, "public key");
        if (!handle.IsOk)
            return handle.Problem;
        var values = session.GetAttributeValue(handle.Value, [CKA.CKA_KEY_TYPE, CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
        if (values[0].GetValueAsUlong() != (ulong)CKK.CKK_EC || !values[1].GetValueAsByteArray().AsSpan().SequenceEqual(P256Oid))
            return Unavailable($"{uri.Describe()}: only ECDSA keys on NIST P-256 are accepted");
        var point = values[2].GetValueAsByteArray();
        try
        {
            if (point.Length != 1 + 2 * P256FieldSize)
                point = new AsnReader(point, AsnEncodingRules.DER).ReadOctetString();
            if (point.Length != 1 + 2 * P256FieldSize || point[0] != 0x04)
                return Unavailable($"{uri.Describe()}: CKA_EC_POINT is not an uncompressed P-256 point");
            using var ecdsa = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = point[1..(1 + P256FieldSize)], Y = point[(1 + P256FieldSize)..] },
            });
            return PublicKey.FromSubjectPublicKeyInfo(ecdsa.ExportSubjectPublicKeyInfo());
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return Unavailable($"{uri.Describe()}: cannot read CKA_EC_POINT: {e.Message}");
        }
    }

    // PKCS#11 returns r||s (IEEE P1363); Rollproof's ECDSA signatures are DER SEQUENCE { r INTEGER, s INTEGER }.
    private static byte[] RawToDer(byte[] raw)
    {
        if (raw.Length != 2 * P256FieldSize)
            throw new ProblemException(new Problem(ErrorCodes.Pkcs11KeyUnavailable, $"the token returned a {raw.Length}-byte signature, not a P-256 r||s"));
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(raw.AsSpan(0, P256FieldSize));
            writer.WriteIntegerUnsigned(raw.AsSpan(P256FieldSize));
        }
        return writer.Encode();
    }

    private static Problem Unavailable(string message) => new(ErrorCodes.Pkcs11KeyUnavailable, message);
}
