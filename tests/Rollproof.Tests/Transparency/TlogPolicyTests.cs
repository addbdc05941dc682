using System.Text;
using Rollproof.Testing;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Tests.Transparency;

public class TlogPolicyTests
{
    private static readonly FixedClock Clock = new(DateTimeOffset.Parse("2026-11-01T00:00:00Z"));
    private static readonly Ed25519NoteSigner Log = NoteKeys.GenerateEd25519("log.example/a");
    private static readonly CosignatureV1Signer[] X = Witnesses("x");
    private static readonly CosignatureV1Signer[] Y = Witnesses("y");

    private static readonly string TwoLevelPolicy = $"""
        # two organisations
        log {Log.VerifierKey}

        witness X1 {X[0].VerifierKey}
        witness X2 {X[1].VerifierKey}
        witness X3 {X[2].VerifierKey} https://x3.example/
        group X-witnesses 2 X1 X2 X3

        witness Y1 {Y[0].VerifierKey}
        	witness Y2 {Y[1].VerifierKey}
        witness Y3 {Y[2].VerifierKey}
        group Y-witnesses any Y1 Y2 Y3

        group X-and-Y all X-witnesses Y-witnesses
        quorum X-and-Y
        """;

    public static TheoryData<string, bool> Cosignings() => new()
    {
        { "X1 X2 Y3", true },
        { "X1 X3 Y1 Y2", true },
        { "X1 Y1", false },
        { "X1 X2 X3", false },
        { "Y1 Y2 Y3", false },
        { "", false },
    };

    [Theory]
    [MemberData(nameof(Cosignings))]
    public void The_two_level_quorum_is_evaluated_as_the_specification_describes(string cosigners, bool met)
    {
        var policy = TlogPolicy.Parse(Encoding.UTF8.GetBytes(TwoLevelPolicy)).Value;
        var signers = cosigners.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Witness).ToArray();

        var decision = policy.Evaluate(Checkpoint(signers));

        Assert.Equal(met, decision.IsOk);
        if (!met)
            Assert.Equal(ErrorCodes.QuorumNotMet, decision.Problem!.Code);
        else
            Assert.Equal(signers.Length, decision.Value.Cosigners.Count);
    }

    [Fact]
    public void A_forged_cosignature_from_a_listed_witness_rejects_the_checkpoint()
    {
        var policy = TlogPolicy.Parse(Encoding.UTF8.GetBytes(TwoLevelPolicy)).Value;
        var note = SignedNote.Parse(Checkpoint([X[0], X[1], Y[0]])).Value;
        var forged = note with { Signatures = [.. note.Signatures.Take(3), note.Signatures[3] with { Signature = new byte[72] }] };
        Assert.Equal(ErrorCodes.NoteSignatureInvalid, policy.Evaluate(forged.ToBytes()).Problem?.Code);
    }

    [Fact]
    public void A_checkpoint_from_a_log_not_in_the_policy_is_rejected()
    {
        var policy = TlogPolicy.Parse(Encoding.UTF8.GetBytes($"log {Log.VerifierKey}\nquorum none\n")).Value;
        var other = NoteKeys.GenerateEd25519("log.example/b");
        var note = SignedNote.Sign(new Checkpoint(other.Name, 1, new byte[32]).ToText(), other).ToBytes();
        Assert.Equal(ErrorCodes.CheckpointOriginMismatch, policy.Evaluate(note).Problem?.Code);
    }

    [Fact]
    public void Cosignatures_commit_to_their_timestamp()
    {
        var note = SignedNote.Parse(Checkpoint([X[0]])).Value;
        var signature = note.Signatures[1].Signature;
        Assert.Equal((ulong)Clock.GetUtcNow().ToUnixTimeSeconds(), CosignatureV1.Timestamp(signature));
        signature[7] ^= 1; // a different time, same Ed25519 signature
        Assert.False(new CosignatureV1Verifier(X[0].Name, NoteKeys.ParseVerifierKey(X[0].VerifierKey).Value.PublicKey).Verify(Encoding.UTF8.GetBytes(note.Text), signature));
    }

    [Theory]
    [InlineData("quorum none\nquorum none\n", "line 2: a policy has exactly one quorum line")]
    [InlineData("log AAAA\nquorum none\n", "line 1:")]
    [InlineData("witness W {X0}\nquorum W2\n", "line 2: quorum 'W2' is not 'none' or a witness or group defined on an earlier line")]
    [InlineData("group G any W\nwitness W {X0}\nquorum G\n", "line 1: group member 'W' is not a witness or group defined on an earlier line")]
    [InlineData("witness W {X0}\ngroup G 2 W\nquorum G\n", "line 2: threshold '2' must be all, any, or a number from 1 to 1")]
    [InlineData("witness W {X0}\ngroup G 0 W\nquorum G\n", "threshold '0'")]
    [InlineData("witness W {X0}\ngroup G any W W\nquorum G\n", "'W' is listed more than once")]
    [InlineData("witness W {X0}\nwitness W {X1}\nquorum W\n", "line 2: 'W' is already defined")]
    [InlineData("witness W {X0}\nwitness V {X0}\nquorum W\n", "line 2: duplicate witness")]
    [InlineData("witness none {X0}\nquorum none\n", "'none' is predefined")]
    [InlineData("witness W {X0}\ngroup G any none\nquorum G\n", "'none' cannot be a group member")]
    [InlineData("witness W {LOG}\nquorum W\n", "line 1: a witness key cannot have signature type 0x01")]
    [InlineData("log {X0}\nquorum none\n", "line 1: a log key cannot have signature type 0x04")]
    [InlineData("log {LOG}\nlog {LOG}\nquorum none\n", "line 2: duplicate log")]
    [InlineData("frobnicate\nquorum none\n", "line 1: unknown keyword 'frobnicate'")]
    [InlineData("witness W {X0}\n", "no quorum line")]
    [InlineData("quorum none\r\n", "line 1: control character 0x0d")]
    public void Malformed_policies_are_rejected_with_the_line_and_the_rule(string template, string detail)
    {
        var text = template.Replace("{X0}", X[0].VerifierKey).Replace("{X1}", X[1].VerifierKey).Replace("{LOG}", Log.VerifierKey);
        var result = TlogPolicy.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal(ErrorCodes.PolicyMalformed, result.Problem?.Code);
        Assert.Contains(detail, result.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_blank_lines_tabs_urls_and_opaque_high_bytes_are_accepted()
    {
        var bytes = Encoding.UTF8.GetBytes($"  # comment é\n\n\twitness Kelvin\u212A {X[0].VerifierKey} https://w.example/\nquorum Kelvin\u212A  \n");
        var policy = TlogPolicy.Parse(bytes).Value;
        Assert.Equal("https://w.example/", policy.Witnesses.Values.Single().Url);
    }

    private static byte[] Checkpoint(INoteSigner[] witnesses)
    {
        var note = SignedNote.Sign(new Checkpoint(Log.Name, 42, MerkleHasher.LeafHash("x"u8)).ToText(), Log);
        return note.AddSignatures(witnesses).ToBytes();
    }

    private static CosignatureV1Signer Witness(string name) => (name[0] == 'X' ? X : Y)[name[1] - '1'];

    private static CosignatureV1Signer[] Witnesses(string prefix) =>
        [.. Enumerable.Range(1, 3).Select(i => NoteKeys.GenerateCosigner($"{prefix}{i}.witness.example", Clock))];
}
