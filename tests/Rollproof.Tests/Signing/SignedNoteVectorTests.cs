using System.Text;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Testing;

namespace Rollproof.Tests.Signing;

public class SignedNoteVectorTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases())
            data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Vector_note_verifies_with_its_key(string name)
    {
        var c = Case(name);
        var verifier = NoteKeys.ParseVerifierKey(c.GetProperty("verifierKey").GetString()!).Value;
        var opened = SignedNote.Parse(c.GetProperty("note").GetString()!).Value.Open([verifier]);
        Assert.Equal(c.GetProperty("valid").GetBoolean(), opened.IsOk);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Any_changed_byte_of_the_text_is_rejected(string name)
    {
        var c = Case(name);
        var verifier = NoteKeys.ParseVerifierKey(c.GetProperty("verifierKey").GetString()!).Value;
        var note = SignedNote.Parse(c.GetProperty("note").GetString()!).Value;
        var tampered = note with { Text = note.Text.Replace('e', 'E') };
        Assert.Equal(ErrorCodes.NoteSignatureInvalid, tampered.Open([verifier]).Problem?.Code);
    }

    [Fact]
    public void Signing_with_the_vector_signer_key_reproduces_the_note_byte_for_byte()
    {
        var c = Cases().Single(c => c.TryGetProperty("signerKey", out _));
        var signer = NoteKeys.ParseSignerKey(c.GetProperty("signerKey").GetString()!).Value;
        var expected = c.GetProperty("note").GetString()!;
        var text = SignedNote.Parse(expected).Value.Text;

        var signed = SignedNote.Sign(text, signer);

        Assert.Equal(expected, signed.ToString());
        Assert.Equal(c.GetProperty("verifierKey").GetString(), signer.VerifierKey);
    }

    private static JsonElement Case(string name) => Cases().Single(c => c.GetProperty("name").GetString() == name);

    private static List<JsonElement> Cases() =>
        JsonDocument.Parse(File.ReadAllBytes(SharedFiles.Vector("signed-note", "vectors.json"))).RootElement
            .GetProperty("cases").EnumerateArray().ToList();
}
