using System.Text;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Transparency;

public sealed record PolicyLog(INoteVerifier Key, string? Url);

public sealed record PolicyWitness(string Name, INoteVerifier Key, string? Url);

public sealed record PolicyGroup(string Name, int Threshold, IReadOnlyList<string> Members);

/// <summary>
/// A C2SP tlog-policy: the logs whose checkpoints are accepted, the witnesses, groups of witnesses with thresholds, and
/// the quorum a checkpoint's cosignatures must meet. <see cref="Parse"/> enforces every structural rule of the
/// specification and says which line breaks one.
/// </summary>
public sealed class TlogPolicy
{
    public const string None = "none";
    public const int MaxSize = 1 << 20;
    public const int MaxItems = 256;

    private TlogPolicy(List<PolicyLog> logs, Dictionary<string, PolicyWitness> witnesses, Dictionary<string, PolicyGroup> groups, string quorum)
    {
        Logs = logs;
        Witnesses = witnesses;
        Groups = groups;
        Quorum = quorum;
    }

    public IReadOnlyList<PolicyLog> Logs { get; }

    public IReadOnlyDictionary<string, PolicyWitness> Witnesses { get; }

    public IReadOnlyDictionary<string, PolicyGroup> Groups { get; }

    public string Quorum { get; }

    /// <summary>A policy that trusts one log and needs no witnesses.</summary>
    public static TlogPolicy ForLog(INoteVerifier logKey) => new([new PolicyLog(logKey, null)], [], [], None);

    public static Result<TlogPolicy> Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxSize)
            return Fail(0, $"policy is {bytes.Length} bytes, more than the {MaxSize}-byte limit");
        // Octets with the high bit set are opaque: Latin-1 maps each byte to one char, so names compare byte for byte.
        var lines = Encoding.Latin1.GetString(bytes).Split('\n');
        var logs = new List<PolicyLog>();
        var witnesses = new Dictionary<string, PolicyWitness>(StringComparer.Ordinal);
        var groups = new Dictionary<string, PolicyGroup>(StringComparer.Ordinal);
        string? quorum = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i];
            var bad = line.IndexOfAny([.. Enumerable.Range(0, 0x20).Where(c => c != '\t').Select(c => (char)c), (char)0x7F]);
            if (bad >= 0)
                return Fail(number, $"control character 0x{(int)line[bad]:x2} at column {bad + 1}");
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0].StartsWith('#'))
                continue;
            var problem = words[0] switch
            {
                "log" => ParseLog(words, number, logs),
                "witness" => ParseWitness(words, number, witnesses, groups),
                "group" => ParseGroup(words, number, witnesses, groups),
                "quorum" when quorum is not null => Fail(number, "a policy has exactly one quorum line; this is the second").Problem,
                "quorum" => ParseQuorum(words, number, witnesses, groups, out quorum),
                _ => Fail(number, $"unknown keyword '{words[0]}' (expected log, witness, group or quorum)").Problem,
            };
            if (problem is not null)
                return Result<TlogPolicy>.Fail(problem);
            if (logs.Count > MaxItems || witnesses.Count > MaxItems || groups.Count > MaxItems)
                return Fail(number, $"more than {MaxItems} logs, witnesses or groups");
        }
        if (quorum is null)
            return Fail(0, "policy has no quorum line (use 'quorum none' to require no witnesses)");
        return Result<TlogPolicy>.Ok(new TlogPolicy(logs, witnesses, groups, quorum));
    }

    /// <summary>
    /// Checks a signed checkpoint: signed by one of the policy's logs (whose key name is the origin), no known key's
    /// signature bad, and the cosigning witnesses meeting the quorum.
    /// </summary>
    public Result<PolicyDecision> Evaluate(ReadOnlySpan<byte> signedCheckpoint)
    {
        var note = SignedNote.Parse(signedCheckpoint);
        if (!note.IsOk)
            return note.Problem;
        var checkpoint = Checkpoint.Parse(note.Value.Text);
        if (!checkpoint.IsOk)
            return checkpoint.Problem;
        var logKeys = Logs.Where(l => l.Key.Name == checkpoint.Value.Origin).Select(l => l.Key).ToList();
        if (logKeys.Count == 0)
            return Result<PolicyDecision>.Fail(ErrorCodes.CheckpointOriginMismatch, $"the policy lists no log with origin '{checkpoint.Value.Origin}'");
        var opened = note.Value.Open([.. logKeys, .. Witnesses.Values.Select(w => w.Key)]);
        if (!opened.IsOk)
            return opened.Problem;
        if (!opened.Value.Verified.Any(v => logKeys.Contains(v.Key)))
            return Result<PolicyDecision>.Fail(ErrorCodes.NoteNoTrustedSignature, $"the checkpoint is not signed by the log '{checkpoint.Value.Origin}'");
        var cosigned = Witnesses.Values
            .Where(w => opened.Value.Verified.Any(v => ReferenceEquals(v.Key, w.Key)))
            .Select(w => w.Name)
            .ToHashSet(StringComparer.Ordinal);
        var decision = new PolicyDecision(checkpoint.Value, [.. cosigned.Order(StringComparer.Ordinal)], IsWitnessed(Quorum, cosigned));
        return decision.QuorumMet
            ? Result<PolicyDecision>.Ok(decision)
            : Result<PolicyDecision>.Fail(ErrorCodes.QuorumNotMet, $"quorum '{Quorum}' is not met: {Describe(Quorum)}; cosigned by {(cosigned.Count == 0 ? "no witness" : string.Join(", ", decision.Cosigners))}");
    }

    /// <summary>Whether cosignatures from just <paramref name="witnesses"/> (by name) would meet the quorum.</summary>
    public bool CouldBeMetBy(IEnumerable<string> witnesses) => IsWitnessed(Quorum, witnesses.ToHashSet(StringComparer.Ordinal));

    private bool IsWitnessed(string name, HashSet<string> cosigned)
    {
        if (name == None)
            return true;
        if (Witnesses.ContainsKey(name))
            return cosigned.Contains(name);
        var group = Groups[name];
        return group.Members.Count(m => IsWitnessed(m, cosigned)) >= group.Threshold;
    }

    private string Describe(string name) =>
        Groups.TryGetValue(name, out var group)
            ? $"{group.Threshold} of ({string.Join(", ", group.Members.Select(Describe))})"
            : name;

    private static Problem? ParseLog(string[] words, int number, List<PolicyLog> logs)
    {
        if (words.Length is < 2 or > 3)
            return Fail(number, "expected 'log <vkey> [<url>]'").Problem;
        var key = ParseKey(words[1], number, [NoteSignatureType.Ed25519, NoteSignatureType.Ecdsa], "log");
        if (!key.IsOk)
            return key.Problem;
        if (logs.Any(l => SameKey(l.Key, key.Value)))
            return Fail(number, "duplicate log: this public key is already listed").Problem;
        logs.Add(new PolicyLog(key.Value, words.Length == 3 ? words[2] : null));
        return null;
    }

    private static Problem? ParseWitness(string[] words, int number, Dictionary<string, PolicyWitness> witnesses, Dictionary<string, PolicyGroup> groups)
    {
        if (words.Length is < 3 or > 4)
            return Fail(number, "expected 'witness <name> <vkey> [<url>]'").Problem;
        var name = words[1];
        var nameProblem = CheckNewName(name, number, witnesses, groups);
        if (nameProblem is not null)
            return nameProblem;
        var key = ParseKey(words[2], number, [NoteSignatureType.CosignatureV1], "witness");
        if (!key.IsOk)
            return key.Problem;
        if (witnesses.Values.Any(w => SameKey(w.Key, key.Value)))
            return Fail(number, $"duplicate witness: '{name}' has the same public key as another witness").Problem;
        witnesses[name] = new PolicyWitness(name, key.Value, words.Length == 4 ? words[3] : null);
        return null;
    }

    private static Problem? ParseGroup(string[] words, int number, Dictionary<string, PolicyWitness> witnesses, Dictionary<string, PolicyGroup> groups)
    {
        if (words.Length < 4)
            return Fail(number, "expected 'group <name> all|any|<k> <member>...' with at least one member").Problem;
        var name = words[1];
        var nameProblem = CheckNewName(name, number, witnesses, groups);
        if (nameProblem is not null)
            return nameProblem;
        var members = words[3..];
        foreach (var member in members)
        {
            if (member == None)
                return Fail(number, "'none' cannot be a group member").Problem;
            if (!witnesses.ContainsKey(member) && !groups.ContainsKey(member))
                return Fail(number, $"group member '{member}' is not a witness or group defined on an earlier line").Problem;
        }
        var duplicate = members.GroupBy(m => m, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            return Fail(number, $"'{duplicate.Key}' is listed more than once in group '{name}'").Problem;
        int threshold;
        if (words[2] == "all")
            threshold = members.Length;
        else if (words[2] == "any")
            threshold = 1;
        else if (!words[2].All(char.IsAsciiDigit) || !int.TryParse(words[2], out threshold) || threshold < 1 || threshold > members.Length)
            return Fail(number, $"threshold '{words[2]}' must be all, any, or a number from 1 to {members.Length}").Problem;
        groups[name] = new PolicyGroup(name, threshold, members);
        return null;
    }

    private static Problem? ParseQuorum(string[] words, int number, Dictionary<string, PolicyWitness> witnesses, Dictionary<string, PolicyGroup> groups, out string? quorum)
    {
        quorum = null;
        if (words.Length != 2)
            return Fail(number, "expected 'quorum <name>'").Problem;
        if (words[1] != None && !witnesses.ContainsKey(words[1]) && !groups.ContainsKey(words[1]))
            return Fail(number, $"quorum '{words[1]}' is not 'none' or a witness or group defined on an earlier line").Problem;
        quorum = words[1];
        return null;
    }

    private static Problem? CheckNewName(string name, int number, Dictionary<string, PolicyWitness> witnesses, Dictionary<string, PolicyGroup> groups)
    {
        if (name == None)
            return Fail(number, "'none' is predefined and cannot be redefined").Problem;
        if (witnesses.ContainsKey(name) || groups.ContainsKey(name))
            return Fail(number, $"'{name}' is already defined (witnesses and groups share one namespace)").Problem;
        return null;
    }

    private static Result<INoteVerifier> ParseKey(string latin1, int number, NoteSignatureType[] allowed, string role)
    {
        var vkey = Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(latin1));
        var key = NoteKeys.ParseVerifierKey(vkey);
        if (!key.IsOk)
            return Result<INoteVerifier>.Fail(ErrorCodes.PolicyMalformed, $"line {number}: {key.Problem.Message}");
        if (!allowed.Contains(key.Value.Type))
            return Result<INoteVerifier>.Fail(ErrorCodes.PolicyMalformed, $"line {number}: a {role} key cannot have signature type 0x{(byte)key.Value.Type:x2}");
        return key;
    }

    // Keys wrapping the same public key under another name or ID are duplicates: compare the key material.
    private static bool SameKey(INoteVerifier a, INoteVerifier b) => a.PublicKey.AsSpan().SequenceEqual(b.PublicKey);

    private static Result<TlogPolicy> Fail(int line, string message) =>
        Result<TlogPolicy>.Fail(ErrorCodes.PolicyMalformed, line > 0 ? $"line {line}: {message}" : message);
}

/// <summary>The outcome of checking a checkpoint against a policy.</summary>
public sealed record PolicyDecision(Checkpoint Checkpoint, IReadOnlyList<string> Cosigners, bool QuorumMet);
