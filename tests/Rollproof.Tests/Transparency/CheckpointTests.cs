using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Tests.Transparency;

public class CheckpointTests
{
    private const string Root = "rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=";

    [Theory]
    [InlineData("example.com/log\n15\n" + Root + "\n", 15, 0)]
    [InlineData("example.com/log\n0\n" + Root + "\n", 0, 0)]
    [InlineData("example.com/log\n15\n" + Root + "\next one\nextension two\n", 15, 2)]
    public void Well_formed_checkpoints_parse_and_format_back(string text, long size, int extensions)
    {
        var checkpoint = Checkpoint.Parse(text).Value;
        Assert.Equal(size, checkpoint.Size);
        Assert.Equal(extensions, checkpoint.Extensions.Count);
        Assert.Equal(text, checkpoint.ToText());
    }

    [Theory]
    [InlineData("example.com/log\n15\n" + Root, "does not end with a newline")]
    [InlineData("example.com/log\n15\n", "expected at least 3")]
    [InlineData("\n15\n" + Root + "\n", "line 1 (origin) is empty")]
    [InlineData("example.com/log\n015\n" + Root + "\n", "line 2 (tree size) '015'")]
    [InlineData("example.com/log\n-1\n" + Root + "\n", "line 2 (tree size) '-1'")]
    [InlineData("example.com/log\n99999999999999999999\n" + Root + "\n", "line 2 (tree size)")]
    [InlineData("example.com/log\n15\nnot base64!\n", "line 3 (root hash) is not valid base64")]
    [InlineData("example.com/log\n15\nAAAA\n", "line 3 (root hash) is 3 bytes")]
    [InlineData("example.com/log\n15\n" + Root + "\n\n", "line 4 (extension) is empty")]
    public void Malformed_checkpoints_are_rejected_with_the_line(string text, string detail)
    {
        var result = Checkpoint.Parse(text);
        Assert.Equal(ErrorCodes.CheckpointMalformed, result.Problem?.Code);
        Assert.Contains(detail, result.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_signed_for_another_origin_is_refused()
    {
        var key = NoteKeys.GenerateEd25519("log.example/a");
        var note = SignedNote.Sign(new Checkpoint("log.example/b", 1, new byte[32]).ToText(), key).ToBytes();
        var opened = Checkpoint.Open(note, NoteKeys.ParseVerifierKey(key.VerifierKey).Value);
        Assert.Equal(ErrorCodes.CheckpointOriginMismatch, opened.Problem?.Code);
    }

    [Theory]
    [InlineData(typeof(Checkpoint))]
    [InlineData(typeof(SignedNote))]
    [InlineData(typeof(NoteSignature))]
    [InlineData(typeof(TlogProof))]
    public void Signed_and_logged_records_can_only_be_copied_not_changed(Type type)
    {
        foreach (var property in type.GetProperties())
        {
            var setter = property.SetMethod;
            var initOnly = setter?.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit)) == true;
            Assert.True(setter is null || !setter.IsPublic || initOnly, $"{type.Name}.{property.Name} has a public setter");
        }
    }
}
