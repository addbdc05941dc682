using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Runbooks;

/// <summary>
/// The releases a rollback's steps act on, verified from the log each time a step asks (so right before it deploys or
/// migrates): the target and the current release are the entries the request names by log index and digest; any other
/// version is looked for where its record says, and counts only if the entry there verifies and names that version.
/// The store's records never decide what runs.
/// </summary>
public sealed class RollbackReleases(ReleaseStore store, RollbackRequestPredicate request, TrustFile trust, string stateFile)
{
    public Task<Result<VerifiedRelease>> TargetAsync(CancellationToken cancellation) => VerifyAsync(request.Target, cancellation);

    public Task<Result<VerifiedRelease>> CurrentAsync(CancellationToken cancellation) => VerifyAsync(request.Current, cancellation);

    public async Task<Result<VerifiedRelease>> VersionAsync(string version, CancellationToken cancellation)
    {
        if (version == request.Target.Version)
            return await TargetAsync(cancellation);
        if (version == request.Current.Version)
            return await CurrentAsync(cancellation);
        var record = store.Find(request.App, version);
        if (!record.IsOk)
            return record.Problem;
        if (record.Value.LogIndex is not { } index)
            return Result<VerifiedRelease>.Fail(ErrorCodes.ReleaseNotFound, $"{request.App} {version} was never logged: its publish was cut short");
        return await ReleaseVerifier.VerifyLoggedAsync(store, new StatementRef(index, record.Value.EnvelopeDigest), request.App, version, trust, stateFile, cancellation);
    }

    private Task<Result<VerifiedRelease>> VerifyAsync(RollbackSide side, CancellationToken cancellation) =>
        ReleaseVerifier.VerifyLoggedAsync(store, side.Release, request.App, side.Version, trust, stateFile, cancellation);
}
