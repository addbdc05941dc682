namespace Rollproof.Transparency.Witnessing;

/// <summary>
/// When the log next asks a witness that failed: after each failure in a row it rests twice as long as after the one
/// before, from <see cref="First"/> up to <see cref="Longest"/>; one cosignature ends the rest. A hung witness then
/// costs one timeout per rest, not one per checkpoint.
/// </summary>
public sealed class WitnessBackOff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Longest = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private int _failures;
    private DateTimeOffset _until;

    /// <summary>Whether the witness rests at <paramref name="now"/>, and until when.</summary>
    public bool IsResting(DateTimeOffset now, out DateTimeOffset until, out int failures)
    {
        lock (_lock)
        {
            (until, failures) = (_until, _failures);
            return now < _until;
        }
    }

    public void Failed(DateTimeOffset now)
    {
        lock (_lock)
        {
            _failures++;
            var rest = First * Math.Pow(2, Math.Min(_failures - 1, 16));
            _until = now + (rest < Longest ? rest : Longest);
        }
    }

    public void Succeeded()
    {
        lock (_lock)
            (_failures, _until) = (0, default);
    }
}
