using System.Text;
using Rollproof.Common;
using Rollproof.Ledger;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: notify</c>: sends one phase's message (<c>phase</c>: internal, customers, regulators, …) built from the
/// <c>message</c> template, as an HTTP POST of JSON to <c>webhook</c> (in the <c>format</c> <see cref="WebhookBody"/>
/// describes), or appended to <c>file</c>. A webhook whose URL is
/// a secret is given by reference (<c>webhook: env:NAME</c> or <c>file:PATH</c>; <c>webhook-env: NAME</c> is the same as
/// <c>webhook: env:NAME</c>), read only when the message is sent. In a rollback,
/// each delivered message is logged at once as a <see cref="NotificationPredicate"/> signed by the operator, so what
/// each audience was told, and when, is on record; a step run again after a crash finds that statement and sends
/// nothing. Only a crash between delivery and logging sends a message twice.
/// </summary>
public sealed class NotifyStep : IRunbookStep
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Uses => "notify";

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        $"tell {parameters.GetValueOrDefault("phase", "internal")} via {(Webhook(parameters, context) is { } hook ? "POST " + (SecretReference.Looks(hook) ? hook : Channel(hook)) : "file " + parameters.GetValueOrDefault("file", "?"))}: \"{Templates.Apply(parameters.GetValueOrDefault("message", ""), context.Values)}\"";

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        if (!parameters.TryGetValue("message", out var template))
            return StepOutcome.Failed("a notify step needs a 'message'");
        if (Templates.Unknown(template, context.Values) is [_, ..] unknown)
            return StepOutcome.Failed($"'message' uses values no rollback has: {string.Join(", ", unknown)}");
        var phase = parameters.GetValueOrDefault("phase", "internal");
        var message = Templates.Apply(template, context.Values);
        var digest = Storage.Sha256Digest.Of(Encoding.UTF8.GetBytes(message)).ToString();
        var evidence = new Dictionary<string, string>(StringComparer.Ordinal) { ["phase"] = phase, ["message"] = message, ["sha256"] = digest };
        if (context.Rollback is { } rollback && Logged(rollback, phase, digest) is { } earlier)
        {
            evidence["notification"] = earlier.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return StepOutcome.Done($"{phase} was told already (log index {earlier})", evidence);
        }

        var (channel, failure) = await DeliverAsync(parameters, context, phase, message, evidence, cancellation);
        if (failure is not null)
            return StepOutcome.Failed(failure, evidence);

        if (context.Rollback is not { } scope)
            return StepOutcome.Done($"told {phase} via {channel}", evidence);
        var statement = RequestStatement.About(scope.RequestRef, StatementKinds.Notification, new NotificationPredicate(scope.RequestRef, phase, message, digest, channel));
        var logged = await new StatementLedger(scope.Store).AppendAsync(statement, scope.Operator, context.Clock, cancellation);
        if (!logged.IsOk)
            return StepOutcome.Failed($"{phase} was told via {channel}, but the notification could not be logged: {logged.Problem.Message}", evidence);
        evidence["notification"] = logged.Value.Ref.LogIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return StepOutcome.Done($"told {phase} via {channel} (log index {logged.Value.Ref.LogIndex})", evidence);
    }

    // Sends the message: to the webhook, or to the end of the file. The channel it went by, or why it did not go.
    private static async Task<(string Channel, string? Failure)> DeliverAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, string phase, string message, Dictionary<string, string> evidence, CancellationToken cancellation)
    {
        if (Webhook(parameters, context) is { } setting)
        {
            var resolved = SecretReference.Looks(setting) ? SecretReference.Parse(setting, "webhook") is { IsOk: true } reference ? reference.Value.Resolve() : Result<string>.Fail(ErrorCodes.SecretInline, $"webhook: {SecretReference.Rule}") : Result<string>.Ok(setting);
            if (!resolved.IsOk)
                return ("", resolved.Problem.Message);
            var webhook = resolved.Value;
            if (!Uri.TryCreate(webhook, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                return ("", $"webhook '{Channel(webhook)}' is not an http(s) URL");
            var body = WebhookBody.Build(parameters.GetValueOrDefault("format"), phase, message, context.Values);
            if (!body.IsOk)
                return ("", body.Problem.Message);
            evidence["webhook"] = Channel(webhook);
            try
            {
                using var content = new ByteArrayContent(body.Value);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                using var response = await Http.PostAsync(url, content, cancellation);
                evidence["status"] = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ("webhook " + evidence["webhook"], response.IsSuccessStatusCode ? null : $"{evidence["webhook"]} answered {(int)response.StatusCode}");
            }
            catch (HttpRequestException e)
            {
                return ("", $"{evidence["webhook"]} could not be reached: {e.HttpRequestError}");
            }
        }
        if (!parameters.TryGetValue("file", out var file))
            return ("", "a notify step needs a 'webhook', a 'webhook-env' or a 'file'");
        var path = Templates.Apply(file, context.Values);
        await File.AppendAllTextAsync(path, $"[{phase}] {message}\n", cancellation);
        evidence["file"] = path;
        return ("file " + path, null);
    }

    // The webhook as the runbook gives it: a URL, or a reference to a secret one, so that a secret URL stays out of the
    // runbook (which the store keeps and evidence packages carry). Null when neither is given.
    private static string? Webhook(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        parameters.TryGetValue("webhook", out var webhook) ? Templates.Apply(webhook, context.Values)
        : parameters.TryGetValue("webhook-env", out var variable) ? "env:" + variable
        : null;

    // The log index of this message to this phase, logged for the request already, if it was.
    private static long? Logged(RollbackScope rollback, string phase, string digest) =>
        new StatementLedger(rollback.Store).Referring<NotificationPredicate>(rollback.RequestRef, StatementKinds.Notification) is { IsOk: true } told
            && told.Value.FirstOrDefault(t => t.Predicate.Phase == phase && t.Predicate.MessageDigest == digest) is { } earlier
            ? earlier.Entry.Index
            : null;

    // A webhook by scheme, host and port only: its user information, path and query often carry its secret.
    private static string Channel(string webhook) =>
        Uri.TryCreate(webhook, UriKind.Absolute, out var url) ? $"{url.Scheme}://{url.Host}{(url.IsDefaultPort ? "" : $":{url.Port}")}" : "(not a URL)";
}
