using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Sms.Http;

/// <summary>
/// <see cref="ISmsSender"/> over Twilio's Programmable Messaging API: <c>POST
/// {BaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json</c> with HTTP Basic auth and a form body
/// (<c>To</c>, <c>From</c> or <c>MessagingServiceSid</c>, <c>Body</c>, <c>StatusCallback</c> carrying our
/// <c>ref</c>, <c>ValidityPeriod</c> up to the end of the message's window). 201 is accepted with the
/// message SID; 429 is throttled (with <c>Retry-After</c>); 5xx, timeouts and network errors are transient;
/// a 400 is permanent with Twilio's error code (21211 invalid number, 21610 unsubscribed, 21614 not a
/// mobile, …) except for the account-level codes, which are transient so that a secondary provider can
/// take over. Twilio has no idempotency key on this API: a retry after a timeout can send twice.
/// Register it as a typed client (<c>AddHttpClient&lt;TwilioStyleSmsSender&gt;()</c>).
/// </summary>
public sealed class TwilioStyleSmsSender : ISmsSender
{
    /// <summary>Twilio's largest ValidityPeriod, in seconds (10 hours); the smallest is 1.</summary>
    public const int MaxValidityPeriodSeconds = 36_000;

    // A 400 with these codes is about our account or sender set-up, not the message: another account may work.
    private static readonly HashSet<string> AccountLevelCodes = ["20003", "20005", "21212", "21606"];

    private readonly HttpClient _httpClient;
    private readonly TwilioStyleOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TwilioStyleSmsSender> _logger;
    private readonly Uri _messagesUri;
    private readonly AuthenticationHeaderValue _authorization;

    public TwilioStyleSmsSender(
        HttpClient httpClient,
        IOptions<TwilioStyleOptions> options,
        TimeProvider timeProvider,
        ILogger<TwilioStyleSmsSender> logger)
    {
        _httpClient = httpClient;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        Validator.ValidateObject(_options, new ValidationContext(_options), validateAllProperties: true);
        _messagesUri = new Uri($"{_options.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(_options.AccountSid)}/Messages.json");
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.AccountSid}:{_options.AuthToken}"));
        _authorization = new AuthenticationHeaderValue("Basic", credentials);
    }

    public string Name => _options.Name;

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken = default)
    {
        var validity = ValidityPeriodSeconds(message.ValidUntil, _timeProvider.GetUtcNow());
        if (validity is null)
        {
            return Logged(message, new SmsSendResult(SmsSendStatus.Permanent, Code: "window-closed",
                Detail: $"The message's window closed at {message.ValidUntil:O}"));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _messagesUri)
        {
            Content = new FormUrlEncodedContent(Form(message, validity.Value)),
        };
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var result = await ProviderCall.SendAsync(_httpClient, request, _options.Timeout, Map, cancellationToken);
        return Logged(message, result);
    }

    /// <summary>
    /// Whole seconds from <paramref name="now"/> to <paramref name="validUntil"/>, capped at Twilio's maximum;
    /// null when less than one second is left (Twilio cannot express a shorter validity).
    /// </summary>
    public static int? ValidityPeriodSeconds(DateTimeOffset validUntil, DateTimeOffset now)
    {
        var seconds = Math.Floor((validUntil - now).TotalSeconds);
        return seconds < 1 ? null : (int)Math.Min(seconds, MaxValidityPeriodSeconds);
    }

    /// <summary>The status-callback URL for one message: the configured URL with <c>ref=&lt;client reference&gt;</c> appended.</summary>
    public static string StatusCallbackFor(string statusCallbackUrl, string clientReference)
    {
        var separator = statusCallbackUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{statusCallbackUrl}{separator}{TwilioWebhookParser.ReferenceParameter}={Uri.EscapeDataString(clientReference)}";
    }

    private List<KeyValuePair<string, string>> Form(SmsMessage message, int validityPeriod)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", message.To) };
        form.Add(string.IsNullOrWhiteSpace(_options.MessagingServiceSid)
            ? new("From", _options.From!)
            : new("MessagingServiceSid", _options.MessagingServiceSid));
        form.Add(new("Body", message.Text));
        form.Add(new("ValidityPeriod", validityPeriod.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (!string.IsNullOrWhiteSpace(_options.StatusCallbackUrl))
        {
            form.Add(new("StatusCallback", StatusCallbackFor(_options.StatusCallbackUrl, message.ClientReference)));
        }

        return form;
    }

    private SmsSendResult Map(HttpResponseMessage response, string body)
    {
        var (sid, twilioCode, detail) = Read(body);
        if (response.IsSuccessStatusCode)
        {
            return sid is null
                ? new SmsSendResult(SmsSendStatus.Accepted, Detail: "Accepted without a sid in the answer")
                : SmsSendResult.Accepted(sid);
        }

        var code = twilioCode ?? ProviderCall.HttpCode(response);
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new SmsSendResult(SmsSendStatus.Throttled, Code: code, Detail: detail,
                RetryAfter: ProviderCall.RetryAfter(response.Headers, _timeProvider)),
            HttpStatusCode.BadRequest when !AccountLevelCodes.Contains(code) => new SmsSendResult(SmsSendStatus.Permanent, Code: code, Detail: detail),
            HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
                or HttpStatusCode.RequestTimeout => new SmsSendResult(SmsSendStatus.Transient, Code: code, Detail: detail),
            _ when ProviderCall.IsServerError(response) => new SmsSendResult(SmsSendStatus.Transient, Code: code, Detail: detail),
            _ => new SmsSendResult(SmsSendStatus.Permanent, Code: code, Detail: detail),
        };
    }

    // Twilio answers with a JSON object: sid on success; code (a number) and message on errors. Anything
    // else (an HTML page from a proxy, an empty body) reads as "no values".
    private static (string? Sid, string? Code, string? Message) Read(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                ? (Value(root, "sid"), Value(root, "code"), Value(root, "message"))
                : (null, null, null);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }

        static string? Value(JsonElement root, string name) =>
            !root.TryGetProperty(name, out var value) ? null : value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            };
    }

    private SmsSendResult Logged(SmsMessage message, SmsSendResult result) => SmsHttpLog.Outcome(_logger, Name, message, result);
}
