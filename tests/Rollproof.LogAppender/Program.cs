using System.Text;
using Rollproof.Storage;

// Usage: Rollproof.LogAppender DIR RUN-ID
// Appends "RUN-ID/i" for i = 0, 1, 2, … until killed, 64 appends in flight. Prints, flushed line by line:
//   ack <i> <index>          once entry i is acknowledged (a durable checkpoint covers it)
//   checkpoint <base64>      each checkpoint as it is published
// The crash test kills this process at a random moment and checks the log against what was printed.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Rollproof.LogAppender DIR RUN-ID");
    return 2;
}
var log = LogDirectory.Open(args[0]).Value;
var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
var gate = new Lock();
await using var opened = log.OpenWriter().Value;
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
    _ = writer.AppendAsync(Encoding.UTF8.GetBytes($"{args[1]}/{entry}")).ContinueWith(task =>
    {
        if (task.IsCompletedSuccessfully)
        {
            lock (gate)
                stdout.WriteLine($"ack {entry} {task.Result}");
        }
        inFlight.Release();
    }, TaskScheduler.Default);
}
