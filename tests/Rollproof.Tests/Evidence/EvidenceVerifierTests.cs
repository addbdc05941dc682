using System.Text;
using Rollproof.Common;
using Rollproof.Evidence;
using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Tests.Evidence;

public sealed class EvidenceVerifierTests
{
    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(-62135596801)]
    [InlineData(253402300800)]
    public void A_timestamp_whose_time_is_not_a_date_is_refused_naming_its_file(long integratedTime)
    {
        // Fuzzer: evidence-zip, seed 1, iteration 4304 (the checker turned the seconds into a date and threw).
        var entry = EvidenceLayout.EntryPath(0, "other", "");
        var files = new Dictionary<string, byte[]>
        {
            [EvidenceLayout.ManifestPath] = """{"format":"rollproof-evidence/v2","origin":"log.example","request":0}"""u8.ToArray(),
            [EvidenceLayout.CheckpointPath] = "log.example\n1\nAAAA\n"u8.ToArray(),
            [entry + ".dsse.json"] = "{}"u8.ToArray(),
            [entry + ".tlog-proof"] = Encoding.UTF8.GetBytes(new TlogProof(0, [], "log.example\n1\nAAAA\n"u8.ToArray()).Format()),
            [entry + ".timestamp.json"] = Encoding.UTF8.GetBytes($$"""{"integratedTime":{{integratedTime}},"signature":"AA=="}"""),
        };
        using var zip = new MemoryStream();
        ZipFiles.Write(zip, files);
        zip.Position = 0;

        var verified = EvidenceVerifier.Verify(zip, "package.zip", TrustFile.Empty);

        Assert.Equal(ErrorCodes.EvidenceInvalid, verified.Problem?.Code);
        Assert.Contains(entry + ".timestamp.json", verified.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"7\"")]
    [InlineData("[]")]
    public void A_manifest_whose_request_is_not_a_number_is_refused(string request)
    {
        // Fuzzer: evidence-zip, seed 1, iteration 420835 (TryGetInt64 throws on a value that is not a number).
        var files = new Dictionary<string, byte[]>
        {
            [EvidenceLayout.ManifestPath] = Encoding.UTF8.GetBytes($$"""{"format":"rollproof-evidence/v2","origin":"log.example","request":{{request}}}"""),
            [EvidenceLayout.CheckpointPath] = "log.example\n1\nAAAA\n"u8.ToArray(),
        };
        using var zip = new MemoryStream();
        ZipFiles.Write(zip, files);
        zip.Position = 0;

        var verified = EvidenceVerifier.Verify(zip, "package.zip", TrustFile.Empty);

        Assert.Equal(ErrorCodes.EvidenceInvalid, verified.Problem?.Code);
        Assert.Contains("names no origin or request", verified.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("log+example")]
    [InlineData("log example")]
    [InlineData("")]
    public void A_manifest_whose_origin_no_log_can_have_is_refused(string origin)
    {
        // Fuzzer: evidence-zip, seed 1, iteration 604405 (the origin went into a note key and its parse threw).
        var files = new Dictionary<string, byte[]>
        {
            [EvidenceLayout.ManifestPath] = Encoding.UTF8.GetBytes($$"""{"format":"rollproof-evidence/v2","origin":"{{origin}}","request":0}"""),
            [EvidenceLayout.CheckpointPath] = "log.example\n1\nAAAA\n"u8.ToArray(),
        };
        using var zip = new MemoryStream();
        ZipFiles.Write(zip, files);
        zip.Position = 0;

        var verified = EvidenceVerifier.Verify(zip, "package.zip", TrustFile.Empty.With(new TrustedKey("log", PublicKey.FromEd25519(new byte[32]), new HashSet<string>([LogPublicKeys.Kind]), DateTimeOffset.UnixEpoch, null)));

        Assert.Equal(ErrorCodes.EvidenceInvalid, verified.Problem?.Code);
        Assert.Contains("which no log can have", verified.Problem!.Message, StringComparison.Ordinal);
    }
}
