using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OrleansReminders.Sms.Http;

/// <summary>
/// Twilio's webhook signature check: <c>X-Twilio-Signature</c> is base64(HMAC-SHA1(auth token, full URL +
/// every POST parameter sorted by name, each as name followed by value, no separators)). The URL is the one
/// Twilio called, query string included (our <c>ref</c> is part of it), as configured, not as a proxy
/// rewrote it. Like Twilio's own helper libraries it also accepts the URL with the default port added or
/// removed, since Twilio may sign either form. The comparison is constant-time.
/// </summary>
public sealed class TwilioWebhookValidator
{
    public const string SignatureHeader = "X-Twilio-Signature";

    private readonly byte[] _key;

    public TwilioWebhookValidator(string authToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        _key = Encoding.UTF8.GetBytes(authToken);
    }

    public TwilioWebhookValidator(IOptions<TwilioStyleOptions> options)
        : this(options.Value.AuthToken)
    {
    }

    /// <summary>
    /// True when <paramref name="signature"/> could be a signature at all (base64 of an HMAC-SHA1): checked
    /// before a callback's body is read, so an unsigned request costs nothing.
    /// </summary>
    public static bool IsWellFormed(string? signature)
    {
        Span<byte> provided = stackalloc byte[HMACSHA1.HashSizeInBytes];
        return !string.IsNullOrWhiteSpace(signature)
            && Convert.TryFromBase64String(signature.Trim(), provided, out var written)
            && written == HMACSHA1.HashSizeInBytes;
    }

    /// <summary>True when <paramref name="signature"/> is Twilio's signature of this URL and these form parameters.</summary>
    public bool IsValid(string url, IEnumerable<KeyValuePair<string, string>> formParameters, string? signature)
    {
        Span<byte> provided = stackalloc byte[HMACSHA1.HashSizeInBytes];
        if (string.IsNullOrWhiteSpace(signature)
            || !Convert.TryFromBase64String(signature.Trim(), provided, out var written)
            || written != HMACSHA1.HashSizeInBytes)
        {
            return false;
        }

        var parameters = Canonical(formParameters);
        var valid = false;
        foreach (var candidate in UrlVariants(url))
        {
            // No early exit: every variant is checked, so the time taken does not say which one matched.
            valid |= CryptographicOperations.FixedTimeEquals(Hash(candidate + parameters), provided);
        }

        return valid;
    }

    /// <summary>The signature Twilio would send for this URL and these form parameters.</summary>
    public string ComputeSignature(string url, IEnumerable<KeyValuePair<string, string>> formParameters) =>
        Convert.ToBase64String(Hash(url + Canonical(formParameters)));

    private byte[] Hash(string data) => HMACSHA1.HashData(_key, Encoding.UTF8.GetBytes(data));

    private static string Canonical(IEnumerable<KeyValuePair<string, string>> formParameters)
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in formParameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            builder.Append(key).Append(value);
        }

        return builder.ToString();
    }

    // The URL as given, plus the same URL with the scheme's default port added (when it has none) or removed
    // (when it names it). Text surgery, not Uri normalisation: the signed string is the URL byte for byte.
    private static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var defaultPort = schemeEnd < 0 ? null : url[..schemeEnd].ToLowerInvariant() switch
        {
            "https" => ":443",
            "http" => ":80",
            _ => null,
        };
        if (defaultPort is null)
        {
            yield break;
        }

        var authorityStart = schemeEnd + 3;
        var pathStart = url.IndexOfAny(['/', '?', '#'], authorityStart);
        pathStart = pathStart < 0 ? url.Length : pathStart;
        var authority = url[authorityStart..pathStart];
        var host = authority[(authority.LastIndexOf('@') + 1)..];
        if (authority.EndsWith(defaultPort, StringComparison.Ordinal))
        {
            yield return url[..(pathStart - defaultPort.Length)] + url[pathStart..];
        }
        else if (!host[(host.LastIndexOf(']') + 1)..].Contains(':', StringComparison.Ordinal))
        {
            yield return url[..pathStart] + defaultPort + url[pathStart..];
        }
    }
}
