using System.Net.Http.Headers;
using System.Text;

namespace Rollproof.Storage;

/// <summary>
/// A registry's <c>WWW-Authenticate</c> answer: <c>Basic realm="…"</c>, or the Distribution token flow's
/// <c>Bearer realm="https://auth.example/token",service="registry.example",scope="repository:team/web:pull"</c>.
/// </summary>
internal sealed record RegistryChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");

    /// <summary>The first Bearer or Basic challenge (Bearer preferred), or null when there is none Rollproof can answer.</summary>
    public static RegistryChallenge? Read(HttpHeaderValueCollection<AuthenticationHeaderValue> headers)
    {
        var challenges = headers.Select(h => new RegistryChallenge(h.Scheme, ParseParameters(h.Parameter ?? ""))).ToList();
        return challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic);
    }

    // RFC 9110 auth-params: name=token or name="quoted string", comma-separated; a scope's value holds commas.
    internal static Dictionary<string, string> ParseParameters(string text)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
                i++;
            var equals = text.IndexOf('=', i);
            if (equals < 0)
                break;
            var name = text[i..equals].Trim();
            i = equals + 1;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                    value.Append(text[i] == '\\' && i + 1 < text.Length ? text[++i] : text[i]);
                i++;
            }
            else
            {
                for (; i < text.Length && text[i] != ','; i++)
                    value.Append(text[i]);
            }
            parameters.TryAdd(name, value.ToString().Trim());
        }
        return parameters;
    }
}
