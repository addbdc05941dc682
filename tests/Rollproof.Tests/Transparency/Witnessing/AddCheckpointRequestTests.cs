using System.Text;
using Rollproof.Common;
using Rollproof.Transparency.Witnessing;

namespace Rollproof.Tests.Transparency.Witnessing;

public class AddCheckpointRequestTests
{
    private const string Checkpoint = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";

    private const string SpecExample = "old 20852014\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\njrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n\n" + Checkpoint;

    [Fact]
    public void The_specifications_example_parses_and_formats_back_byte_for_byte()
    {
        var request = AddCheckpointRequest.Parse(Encoding.UTF8.GetBytes(SpecExample)).Value;

        Assert.Equal(20852014, request.OldSize);
        Assert.Equal(4, request.Proof.Count);
        Assert.Equal(Checkpoint, Encoding.UTF8.GetString(request.SignedCheckpoint));
        Assert.Equal(SpecExample, Encoding.UTF8.GetString(request.ToBytes()));
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "old 012\n\n" + Checkpoint, "line 1" },
        { "old -1\n\n" + Checkpoint, "line 1" },
        { "Old 1\n\n" + Checkpoint, "line 1" },
        { "old 1", "line 1" },
        { "old 1\nAAAA\n\n" + Checkpoint, "line 2" },
        { "old 1\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw\n\n" + Checkpoint, "line 2" },
        { "old 1\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=", "ends before the blank line" },
        { "old 1\r\n\n" + Checkpoint, "line 1" },
        { "old 1\n" + string.Concat(Enumerable.Repeat("PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n", 64)) + "\n" + Checkpoint, "more than 63" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_body_out_of_the_format_is_refused_naming_the_line(string body, string named)
    {
        var parsed = AddCheckpointRequest.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(ErrorCodes.WitnessRequestMalformed, parsed.Problem?.Code);
        Assert.Contains(named, parsed.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sixty_three_proof_lines_are_accepted_and_an_oversized_body_is_refused_before_parsing()
    {
        var full = "old 1\n" + string.Concat(Enumerable.Repeat("PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n", 63)) + "\n" + Checkpoint;
        Assert.Equal(63, AddCheckpointRequest.Parse(Encoding.UTF8.GetBytes(full)).Value.Proof.Count);

        var huge = AddCheckpointRequest.Parse(new byte[AddCheckpointRequest.MaxSize + 1]);

        Assert.Contains("limit", huge.Problem?.Message, StringComparison.Ordinal);
    }
}
