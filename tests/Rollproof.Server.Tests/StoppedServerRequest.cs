using Rollproof.Releases;
using Rollproof.Trust;

namespace Rollproof.Server.Tests;

/// <summary>
/// A rollback request filed through a real server, which has then stopped and let go of the log: a test's own
/// <see cref="Ledger.StatementIntake"/> appends to the store as the server would, with its seams armed.
/// </summary>
internal static class StoppedServerRequest
{
    public static async Task<(ReleaseStore Store, StatementRef Request)> FileAsync(RemoteTeam team)
    {
        long requestIndex;
        await using (var server = await ServeProcess.StartAsync(team.Store, team.ServeOptions))
            requestIndex = team.FileRequest(team.Server(server.Url), team.Dir.Combine("seen"));
        var store = ReleaseStore.Open(team.Store).Value;
        return (store, StatementRef.Of(requestIndex, Transparency.LogEntries.Read(store.Log.Storage, requestIndex, store.Log.ReadCheckpoint().Value.Checkpoint.Size).Value));
    }
}
