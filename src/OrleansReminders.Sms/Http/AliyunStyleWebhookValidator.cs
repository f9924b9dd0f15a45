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
        var verdict = CheckHeaders(timestamp, signature, out var provided);
        if (verdict != PushVerdict.Valid)
        {
            return verdict;
        }

        using var hash = StartHash(timestamp!);
        hash.AppendData(body);
        return Finish(hash, provided);
    }

    /// <summary>
    /// Verifies a push as it streams in: the headers are checked before a byte of the body is read (a push
    /// without them, with a malformed signature or a stale timestamp is refused unread), then the body's bytes
    /// go into the HMAC as they arrive. Answers the verdict and, when valid, the body's bytes.
    /// </summary>
    public async Task<(PushVerdict Verdict, byte[]? Body)> VerifyAsync(string? timestamp, string? signature, Stream body, CancellationToken cancellationToken)
    {
        var verdict = CheckHeaders(timestamp, signature, out var provided);
        if (verdict != PushVerdict.Valid)
        {
            return (verdict, null);
        }

        using var hash = StartHash(timestamp!);
        using var copy = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            copy.Write(buffer, 0, read);
        }

        verdict = Finish(hash, provided);
        return verdict == PushVerdict.Valid ? (verdict, copy.ToArray()) : (verdict, null);
    }

    private PushVerdict CheckHeaders(string? timestamp, string? signature, out byte[] provided)
    {
        provided = new byte[HMACSHA256.HashSizeInBytes];
        if (string.IsNullOrWhiteSpace(timestamp) || string.IsNullOrWhiteSpace(signature))
        {
            return PushVerdict.MissingHeaders;
        }

        if (!Convert.TryFromBase64String(signature.Trim(), provided, out var written) || written != HMACSHA256.HashSizeInBytes)
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

    private IncrementalHash StartHash(string timestamp)
    {
        var hash = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hash.AppendData(Encoding.UTF8.GetBytes(timestamp + "\n"));
        return hash;
    }

    private static PushVerdict Finish(IncrementalHash hash, byte[] provided) =>
        CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), provided) ? PushVerdict.Valid : PushVerdict.BadSignature;

    /// <summary>The signature header value for this timestamp and body (for the relay, and for tests).</summary>
    public string Sign(string timestamp, ReadOnlySpan<byte> body)
    {
        using var hash = StartHash(timestamp);
        hash.AppendData(body);
        return Convert.ToBase64String(hash.GetHashAndReset());
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
