namespace Rollproof.LoadGen;

/// <summary>Reads of the log as a tlog-tiles client makes them: the checkpoint, then tiles and entry bundles, round robin.</summary>
public static class TileLoad
{
    public static readonly string[] DefaultPaths = ["checkpoint", "tile/0/000", "tile/1/000.p/1", "tile/entries/000"];

    public static Task<LoadReport> RunAsync(IReadOnlyList<HttpClient> http, LoadRun run, IReadOnlyList<string> paths) =>
        run.RunAsync(http, (client, i) => new HttpRequestMessage(HttpMethod.Get, paths[(int)((client + i) % paths.Count)]));
}
