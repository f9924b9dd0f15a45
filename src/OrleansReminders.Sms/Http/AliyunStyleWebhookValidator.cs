using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OrleansReminders.Sms.Http;

/// <summary>
/// Authenticates pushes to our Alibaba-style receipt and reply endpoint. Alibaba's HTTP push itself is not
/// signed: the signing is our requirement for the push endpoint, met by whatever relays the pushes to us
/// (a gateway or forwarder that holds the shared secret). A push must carry
/// <see cref="TimestampHeader"/> (Unix seconds) and <see cref="SignatureHeader"/> = base64(HMAC-SHA256(secret,
/// timestamp + "\n" + raw body)); a timestamp further than the window (5 minutes by default) from our clock,
/// either way, is refused, so a captured push cannot be replayed later. Within the window a replay is
/// harmless: receipts only move a message forward and replies are keyed by their sequence id.
/// The signature comparison is constant-time.
/// </summary>
public sealed class AliyunStyleWebhookValidator
{
    public const string TimestampHeader = "X-Push-Timestamp";
    public const string SignatureHeader = "X-Push-Signature";

    private readonly byte[] _key;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _window;

    public AliyunStyleWebhookValidator(string sharedSecret, TimeProvider timeProvider, TimeSpan? window = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(sharedSecret);
        _key = Encoding.UTF8.GetBytes(sharedSecret);
        _timeProvider = timeProvider;
        _window = window ?? TimeSpan.FromMinutes(5);
    }

    public AliyunStyleWebhookValidator(IOptions<AliyunStyleOptions> options, TimeProvider timeProvider)
        : this(options.Value.PushSigningSecret ?? "", timeProvider, options.Value.PushTimestampWindow)
    {
    }

    public PushVerdict Verify(string? timestamp, string? signature, string body) =>
        Verify(timestamp, signature, Encoding.UTF8.GetBytes(body));

    public PushVerdict Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(timestamp) || string.IsNullOrWhiteSpace(signature))
        {
            return PushVerdict.MissingHeaders;
        }

        Span<byte> provided = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!Convert.TryFromBase64String(signature.Trim(), provided, out var written)
            || written != HMACSHA256.HashSizeInBytes
            || !CryptographicOperations.FixedTimeEquals(Hash(timestamp, body), provided))
        {
            return PushVerdict.BadSignature;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return PushVerdict.StaleTimestamp;
        }

        var age = _timeProvider.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        return age.Duration() <= _window ? PushVerdict.Valid : PushVerdict.StaleTimestamp;
    }

    /// <summary>The signature header value for this timestamp and body (for the relay, and for tests).</summary>
    public string Sign(string timestamp, ReadOnlySpan<byte> body) => Convert.ToBase64String(Hash(timestamp, body));

    private byte[] Hash(string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + "\n");
        var data = new byte[prefix.Length + body.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(prefix.Length));
        return HMACSHA256.HashData(_key, data);
    }
}

/// <summary>What <see cref="AliyunStyleWebhookValidator"/> decided about one push.</summary>
public enum PushVerdict
{
    Valid,

    /// <summary>No timestamp or no signature header.</summary>
    MissingHeaders,

    /// <summary>The signature is not ours over this timestamp and body.</summary>
    BadSignature,

    /// <summary>Correctly signed, but the timestamp is outside the window (a replay, or a clock far off).</summary>
    StaleTimestamp,
}
