namespace Rollproof.Server.Witnessing;

/// <summary>
/// What <c>serve --witness</c> was told: the witness's cosigning key file, the verifier keys of the logs it cosigns for
/// (each named by its log's origin), and the directory where it remembers the latest checkpoint cosigned per log.
/// </summary>
public sealed record WitnessOptions(string KeyFile, IReadOnlyList<string> LogVerifierKeys, string StateDirectory);
