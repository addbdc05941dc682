namespace Rollproof.Common;

/// <summary>
/// Where a verifier keeps its own memory of the logs it checked (checkpoints seen, maps of where statements are), and
/// a log writer its record of the checkpoints it published: <c>$ROLLPROOF_STATE_DIR</c>, else
/// <c>~/.config/rollproof</c>. Never in a store: whoever controls a store could otherwise reset what is remembered of
/// it. In Common, since the writer's storage and the verifier's trust both keep state here.
/// </summary>
public static class VerifierHome
{
    public static string Root => Environment.GetEnvironmentVariable("ROLLPROOF_STATE_DIR") is { Length: > 0 } state
        ? state
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "rollproof");
}
