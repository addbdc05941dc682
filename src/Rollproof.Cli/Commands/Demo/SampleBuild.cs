using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Releases;

namespace Rollproof.Cli.Commands.Demo;

/// <summary>
/// Builds one version of the sample document-signing service (samples/docsign) and turns the build into what a
/// release names: a reproducible tar.gz (entries in name order, fixed times and owners, native libraries for this
/// machine only), a CycloneDX SBOM of the NuGet packages in its deps.json, its migrations and its security surface.
/// </summary>
internal static class SampleBuild
{
    public const string Project = "samples/docsign/Docsign.csproj";

    /// <summary>samples/docsign next to the command's build or the current folder, or null.</summary>
    public static string? FindProject()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, Project)))
                    return Path.Combine(dir.FullName, Project);
        return null;
    }

    public static async Task<Result<ReleaseDraft>> BuildAsync(string project, string version, string work, CancellationToken cancellation)
    {
        var output = Path.Combine(work, "build", version);
        // No build servers: MSBuild nodes and the compiler server would outlive the demo (and a test) by minutes.
        var build = await DotnetAsync(["build", project, "-c", "Release", "-nologo", "-v", "quiet", "--disable-build-servers", $"-p:DocsignVersion={version}",
            $"-p:IntermediateOutputPath={Path.Combine(work, "build", "obj", version)}/", "-o", output], cancellation);
        if (build is not null)
            return Result<ReleaseDraft>.Fail(ErrorCodes.InputMalformed, $"building docsign {version} failed: {build}");
        var artifact = Path.Combine(work, "artifacts", $"docsign-{version}.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(artifact)!);
        await PackAsync(output, artifact, cancellation);
        var sbom = Path.Combine(work, "artifacts", $"docsign-{version}.cdx.json");
        await File.WriteAllTextAsync(sbom, Sbom(output, version), cancellation);
        var signing = version == "1.0" ? new CryptoChoice("document-signing", "ES256", 256) : new CryptoChoice("document-signing", "RS256", 2048);
        return Result<ReleaseDraft>.Ok(new ReleaseDraft("docsign", version, [artifact], sbom, null, Path.Combine(output, "migrations"), null,
            new SecuritySurface(["POST /sign", "GET /health", "GET /version", "GET /stats"], [], [], [signing]), null));
    }

    private static async Task PackAsync(string folder, string archive, CancellationToken cancellation)
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("runtimes/", StringComparison.Ordinal) || f.StartsWith($"runtimes/{rid}/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        await using var output = File.Create(archive);
        await using var gzip = new GZipStream(output, CompressionLevel.Optimal);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var name in files)
        {
            await using var content = File.OpenRead(Path.Combine(folder, name));
            var executable = name == "Docsign" || name.EndsWith(".so", StringComparison.Ordinal);
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name)
            {
                ModificationTime = DateTimeOffset.UnixEpoch, Uid = 0, Gid = 0, DataStream = content,
                Mode = executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100,
            }, cancellation);
        }
    }

    // The packages the build resolved, from its deps.json, as CycloneDX components.
    private static string Sbom(string folder, string version)
    {
        using var deps = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "Docsign.deps.json")));
        var components = deps.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(l => l.Value.GetProperty("type").GetString() == "package")
            .Select(l => l.Name.Split('/'))
            .Select(p => new { type = "library", name = p[0], version = p[1], purl = $"pkg:nuget/{p[0]}@{p[1]}" })
            .OrderBy(c => c.name, StringComparer.Ordinal);
        return JsonSerializer.Serialize(new
        {
            bomFormat = "CycloneDX", specVersion = "1.6", version = 1,
            metadata = new { component = new { type = "application", name = "docsign", version } },
            components,
        });
    }

    private static async Task<string?> DotnetAsync(IEnumerable<string> arguments, CancellationToken cancellation)
    {
        var ran = await ExternalProgram.RunAsync("dotnet", arguments, Timeout.InfiniteTimeSpan, cancellation);
        return ran.ExitCode == 0 ? null : (ran.Output + ran.Error).Trim();
    }
}
