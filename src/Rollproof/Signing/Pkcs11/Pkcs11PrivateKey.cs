using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Rollproof.Common;

namespace Rollproof.Signing.Pkcs11;

/// <summary>
/// A private key that never leaves a PKCS#11 token (an HSM, SoftHSM2): ECDSA P-256 or Ed25519, with its public key
/// object beside it. Signatures come out in the form Rollproof's own keys write (ECDSA: DER over SHA-256; Ed25519:
/// RFC 8032), and each is verified with the public key before it is returned. The module is loaded once per process,
/// and each token logged into once (<see cref="LogIn"/>); sessions are reused. A session the token lost (an HSM
/// restart, a closed session, a logout, a token pulled and put back) is recovered once per signature: the session
/// reopened, the token logged into again with the PIN this key was opened with, the key found again, and the
/// signature tried once more; a second failure is the signature's failure. The PIN is kept in memory for that alone,
/// and never written to a message.
/// </summary>
public sealed class Pkcs11PrivateKey
{
    private const int P256FieldSize = 32;
    private static readonly byte[] P256Oid = Convert.FromHexString("06082a8648ce3d030107");
    // PKCS#11 3.0 lets CKA_EC_PARAMS of an Edwards key be the curve's name (SoftHSM2 writes this) or RFC 8410's OID.
    private static readonly byte[][] Ed25519Params = [Convert.FromHexString("130c656477617264733235353139"), Convert.FromHexString("06032b6570")];
    // PKCS#11 3.0 values, absent from Pkcs11Interop 5's 2.40 enums.
    private const ulong CkkEcEdwards = 0x40;
    private const ulong CkmEddsa = 0x1057;
    private static readonly Pkcs11InteropFactories Factories = new();
    private static readonly ConcurrentDictionary<string, IPkcs11Library> Libraries = new(StringComparer.Ordinal);
    private static readonly Dictionary<(string Module, ulong Slot), (ISession Session, byte[] PinHash)> Logins = [];

    // Pkcs11Interop 5 loads modules through dlopen in "libdl", a name glibc 2.34+ (Debian 12) ships only as
    // libdl.so.2 unless libc6-dev is installed; point it at the runtime library every glibc system has.
    static Pkcs11PrivateKey() =>
        NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, (name, assembly, path) =>
            name == "libdl" && OperatingSystem.IsLinux() ? NativeLibrary.Load("libdl.so.2") : IntPtr.Zero);

    // What the token says when the session a signature used is gone, and a fresh session and login can help.
    private static readonly HashSet<CKR> SessionLost = [CKR.CKR_SESSION_HANDLE_INVALID, CKR.CKR_SESSION_CLOSED, CKR.CKR_USER_NOT_LOGGED_IN, CKR.CKR_DEVICE_REMOVED, CKR.CKR_TOKEN_NOT_PRESENT];

    private readonly Pkcs11Uri _uri;
    private readonly string _modulePath;
    private readonly string _pin;
    private readonly Lock _reconnecting = new();
    // Idle sessions, reused: opening one per signature costs more than the signature itself.
    private readonly ConcurrentBag<ISession> _sessions = [];
    private volatile Connection _connection;

    private Pkcs11PrivateKey(Connection connection, Pkcs11Uri uri, string modulePath, string pin, PublicKey publicKey)
    {
        _connection = connection;
        _uri = uri;
        _modulePath = modulePath;
        _pin = pin;
        PublicKey = publicKey;
    }

    // The token's slot and the key's handle in it, replaced whole when a lost session is recovered.
    private sealed record Connection(ISlot Slot, IObjectHandle Key);

    public PublicKey PublicKey { get; }

    /// <summary>Finds the token and key, checks the PIN, and reads the public key; every failure names what is missing, never the PIN.</summary>
    public static Result<Pkcs11PrivateKey> Open(Pkcs11Uri uri, string modulePath, string pin)
    {
        try
        {
            var slot = FindSlot(Library(modulePath), uri, modulePath);
            if (!slot.IsOk)
                return slot.Problem;
            if (LogIn(slot.Value, modulePath, pin, uri) is { } refused)
                return refused;
            using var session = slot.Value.OpenSession(SessionType.ReadOnly);
            var key = FindKey(session, uri, CKO.CKO_PRIVATE_KEY, "private key");
            if (!key.IsOk)
                return key.Problem;
            var publicKey = ReadPublicKey(session, uri);
            return publicKey.IsOk ? Result<Pkcs11PrivateKey>.Ok(new Pkcs11PrivateKey(new Connection(slot.Value, key.Value), uri, modulePath, pin, publicKey.Value)) : publicKey.Problem;
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

    /// <summary>Opens the key with its module and PIN taken from the URI or, failing that, <paramref name="variable"/> (<see cref="Pkcs11Credentials"/>).</summary>
    public static Result<Pkcs11PrivateKey> Open(Pkcs11Uri uri, Func<string, string?> variable)
    {
        var module = Pkcs11Credentials.Module(uri, variable);
        if (!module.IsOk)
            return module.Problem;
        var pin = Pkcs11Credentials.Pin(uri, variable);
        return pin.IsOk ? Open(uri, module.Value, pin.Value) : pin.Problem;
    }

    /// <summary>The signature over <paramref name="data"/>, checked with <see cref="PublicKey"/>; a failure throws a <see cref="ProblemException"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var ed25519 = PublicKey.Algorithm == KeyAlgorithm.Ed25519;
        // CKM_EDDSA signs the message itself; CKM_ECDSA signs a digest made here.
        var input = ed25519 ? data.ToArray() : SHA256.HashData(data);
        byte[] raw;
        var connection = _connection;
        try
        {
            raw = SignIn(connection, input, ed25519);
        }
        catch (Pkcs11Exception e) when (SessionLost.Contains(e.RV))
        {
            // Once, never in a loop: reconnect, then one more try, whose failure is the answer.
            if (Reconnect(connection) is { } unrecovered)
                throw new ProblemException(unrecovered);
            try
            {
                raw = SignIn(_connection, input, ed25519);
            }
            catch (Pkcs11Exception again)
            {
                throw new ProblemException(Unavailable($"{_uri.Describe()}: signing failed after the lost session ({e.RV}) was reopened and logged into again: {again.Message}"));
            }
        }
        catch (Pkcs11Exception e)
        {
            throw new ProblemException(Unavailable($"{_uri.Describe()}: signing failed: {e.Message}"));
        }
        var signature = ed25519 ? raw : RawToDer(raw);
        return PublicKey.Verify(data, signature)
            ? signature
            : throw new ProblemException(Unavailable($"{_uri.Describe()}: the token's signature does not verify with its public key {PublicKey.KeyId}"));
    }

    private byte[] SignIn(Connection connection, byte[] input, bool ed25519)
    {
        ISession? session = null;
        try
        {
            // A token object's handle is valid in every session of the application (PKCS#11 2.40, section 6.7.5).
            session = _sessions.TryTake(out var idle) ? idle : connection.Slot.OpenSession(SessionType.ReadOnly);
            var mechanism = session.Factories.MechanismFactory.Create(ed25519 ? CkmEddsa : (ulong)CKM.CKM_ECDSA);
            var raw = session.Sign(mechanism, connection.Key, input);
            _sessions.Add(session);
            return raw;
        }
        catch
        {
            if (session is not null)
                CloseQuietly(session);
            throw;
        }
    }

    // After a lost session: the idle sessions dropped, the token found and logged into again, the key found again.
    // Signatures that failed on the same connection at once reconnect once between them; the later ones only retry.
    private Problem? Reconnect(Connection failed)
    {
        lock (_reconnecting)
        {
            if (!ReferenceEquals(_connection, failed))
                return null;
            while (_sessions.TryTake(out var stale))
                CloseQuietly(stale);
            try
            {
                var slot = FindSlot(Library(_modulePath), _uri, _modulePath);
                if (!slot.IsOk)
                    return slot.Problem;
                ForgetLogin(failed.Slot);
                if (LogIn(slot.Value, _modulePath, _pin, _uri, reconnecting: true) is { } refused)
                    return refused;
                using var session = slot.Value.OpenSession(SessionType.ReadOnly);
                var key = FindKey(session, _uri, CKO.CKO_PRIVATE_KEY, "private key");
                if (!key.IsOk)
                    return key.Problem;
                _connection = new Connection(slot.Value, key.Value);
                return null;
            }
            catch (Pkcs11Exception e)
            {
                return new Problem(ErrorCodes.Pkcs11SessionLost, $"{_uri.Describe()}: the token lost this process's session, and reopening it and logging in again failed ({e.RV})");
            }
        }
    }

    // The login session of a token whose sessions were lost: dropped, so the next LogIn logs in afresh.
    private void ForgetLogin(ISlot slot)
    {
        lock (Logins)
        {
            if (Logins.Remove((_modulePath, slot.SlotId), out var login))
                CloseQuietly(login.Session);
        }
    }

    // A session the token may have closed already: closing it again fails, harmlessly.
    private static void CloseQuietly(ISession session)
    {
        try
        {
            session.Dispose();
        }
        catch (Pkcs11Exception)
        {
        }
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

    // PKCS#11 logs in the application, not a session: one session per token is kept open and logged in for the
    // process's life, so a signature needs no C_Login (SoftHSM2 derives a key from the PIN at each one, ~20 ms, which
    // would hold a log to ~50 signatures a second). A later opening with another PIN is refused, as the token would.
    private static Problem? LogIn(ISlot slot, string modulePath, string pin, Pkcs11Uri uri, bool reconnecting = false)
    {
        var pinHash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(pin));
        lock (Logins)
        {
            if (Logins.TryGetValue((modulePath, slot.SlotId), out var login))
                return CryptographicOperations.FixedTimeEquals(login.PinHash, pinHash)
                    ? null
                    : new Problem(ErrorCodes.Pkcs11LoginFailed, $"{uri.Describe()}: the token refused the PIN (not the one this process logged in with)");
            var session = slot.OpenSession(SessionType.ReadOnly);
            try
            {
                session.Login(CKU.CKU_USER, pin);
            }
            catch (Pkcs11Exception e) when (reconnecting && e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // The PIN was checked when the key was opened; login is the application's, so this session shares it.
            }
            catch
            {
                session.Dispose();
                throw;
            }
            Logins[(modulePath, slot.SlotId)] = (session, pinHash);
            return null;
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

    // CKA_EC_POINT is the public point (ECDSA: uncompressed; Ed25519: the 32-byte key), wrapped in a DER OCTET STRING
    // by PKCS#11 2.40 and later; some tokens give it bare.
    private static Result<PublicKey> ReadPublicKey(ISession session, Pkcs11Uri uri)
    {
        var handle = FindKey(session, uri, CKO.CKO_PUBLIC_KEY, "public key");
        if (!handle.IsOk)
            return handle.Problem;
        var values = session.GetAttributeValue(handle.Value, [CKA.CKA_KEY_TYPE, CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
        var (type, parameters, point) = (values[0].GetValueAsUlong(), values[1].GetValueAsByteArray(), values[2].GetValueAsByteArray());
        try
        {
            if (type == CkkEcEdwards && Ed25519Params.Any(p => parameters.AsSpan().SequenceEqual(p)))
                return Ed25519Point(point, uri);
            if (type == (ulong)CKK.CKK_EC && parameters.AsSpan().SequenceEqual(P256Oid))
                return P256Point(point, uri);
            return Unavailable($"{uri.Describe()}: only ECDSA keys on NIST P-256 and Ed25519 keys are accepted");
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return Unavailable($"{uri.Describe()}: cannot read CKA_EC_POINT: {e.Message}");
        }
    }

    private static Result<PublicKey> Ed25519Point(byte[] point, Pkcs11Uri uri)
    {
        if (point.Length != OpenSslEd25519.PublicKeySize)
            point = new AsnReader(point, AsnEncodingRules.DER).ReadOctetString();
        return point.Length == OpenSslEd25519.PublicKeySize
            ? Result<PublicKey>.Ok(PublicKey.FromEd25519(point))
            : Unavailable($"{uri.Describe()}: CKA_EC_POINT is not a {OpenSslEd25519.PublicKeySize}-byte Ed25519 key");
    }

    private static Result<PublicKey> P256Point(byte[] point, Pkcs11Uri uri)
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

    // PKCS#11 returns r||s (IEEE P1363); Rollproof's ECDSA signatures are DER SEQUENCE { r INTEGER, s INTEGER }.
    internal static byte[] RawToDer(byte[] raw)
    {
        if (raw.Length != 2 * P256FieldSize)
            throw new ProblemException(new Problem(ErrorCodes.Pkcs11KeyUnavailable, $"the token returned a {raw.Length}-byte signature, not a P-256 r||s"));
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            // Each half is fixed-width, so r or s below 2^248 starts with zero bytes, which DER integers may not have.
            writer.WriteIntegerUnsigned(raw.AsSpan(0, P256FieldSize).TrimStart((byte)0));
            writer.WriteIntegerUnsigned(raw.AsSpan(P256FieldSize).TrimStart((byte)0));
        }
        return writer.Encode();
    }

    private static Problem Unavailable(string message) => new(ErrorCodes.Pkcs11KeyUnavailable, message);
}
