using System.Security.Cryptography;
using System.Text;

namespace OrleansReminders.Sms.Http;

/// <summary>
/// Alibaba Cloud's RPC request signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0): sort the
/// parameters by name, percent-encode names and values (RFC 3986: only <c>A–Z a–z 0–9 - _ . ~</c> stay as
/// they are, space is <c>%20</c>, UTF-8 bytes as upper-case <c>%XY</c>), join them as <c>name=value</c> with
/// <c>&amp;</c>, build <c>StringToSign = METHOD + "&amp;%2F&amp;" + percentEncode(canonicalized)</c> and sign
/// it with HMAC-SHA1 keyed by <c>AccessKeySecret + "&amp;"</c>, base64-encoded.
/// </summary>
public static class AliyunRpcSignature
{
    public static string PercentEncode(string value)
    {
        var builder = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>The parameters (without <c>Signature</c>) sorted by name, encoded and joined.</summary>
    public static string Canonicalize(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{PercentEncode(p.Key)}={PercentEncode(p.Value)}"));

    public static string StringToSign(string httpMethod, string canonicalizedQuery) =>
        $"{httpMethod}&{PercentEncode("/")}&{PercentEncode(canonicalizedQuery)}";

    public static string Sign(string accessKeySecret, string stringToSign) =>
        Convert.ToBase64String(HMACSHA1.HashData(
            Encoding.UTF8.GetBytes(accessKeySecret + "&"),
            Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>The signed query string of a GET request: the canonicalized parameters plus <c>Signature</c>.</summary>
    public static string SignedQuery(IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret)
    {
        var canonical = Canonicalize(parameters);
        var signature = Sign(accessKeySecret, StringToSign("GET", canonical));
        return $"{canonical}&Signature={PercentEncode(signature)}";
    }
}
