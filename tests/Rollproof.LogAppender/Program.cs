using System.Text;
using Rollproof.LogAppender;
using Rollproof.Storage;
using Rollproof.Transparency;

// Usage: Rollproof.LogAppender DIR RUN-ID [--kill-at sync|checkpoint --batch N]
// Appends "RUN-ID/i" for i = 0, 1, 2, … with signed entry timestamps until killed, 64 appends in flight. Prints,
// flushed line by line:
//   ack <i> <index>          once entry i is acknowledged (a durable checkpoint and its timestamp cover it)
//   checkpoint <base64>      each checkpoint as it is published
// With --kill-at it kills itself (SIGKILL) in its Nth batch with new entries: at "sync", once the batch's timestamps
// are durable and before its tiles are; at "checkpoint", just before the checkpoint replaces the last one.
// The crash tests kill this process (or let it kill itself) and check the log against what was printed.
if (args.Length is not (2 or 6))
{
    Console.Error.WriteLine("usage: Rollproof.LogAppender DIR RUN-ID [--kill-at sync|checkpoint --batch N]");
    return 2;
}
var log = LogDirectory.Open(args[0]).Value;
var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
var gate = new Lock();
await using var opened = args.Length == 2 ? log.OpenWriter().Value : SelfKillingWriter.Open(log, Enum.Parse<KillPoint>(args[3], ignoreCase: true), int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture));
var writer = opened.Writer;
writer.CheckpointPublished += checkpoint =>
{
    lock (gate)
        stdout.WriteLine("checkpoint " + Convert.ToBase64String(checkpoint));
};
lock (gate)
    stdout.WriteLine("ready");
var inFlight = new SemaphoreSlim(64);
for (var i = 0L; ; i++)
{
    await inFlight.WaitAsync();
    var entry = i;
    _ = writer.AppendWithTimestampAsync(Encoding.UTF8.GetBytes($"{args[1]}/{entry}")).ContinueWith(task =>
    {
        if (task.IsCompletedSuccessfully)
        {
            lock (gate)
                stdout.WriteLine($"ack {entry} {task.Result.Index}");
        }
        inFlight.Release();
    }, TaskScheduler.Default);
}
