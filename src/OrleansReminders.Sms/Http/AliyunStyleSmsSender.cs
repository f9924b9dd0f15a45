using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Sms.Http;

/// <summary>
/// <see cref="ISmsSender"/> over Alibaba Cloud's SMS API (Dysmsapi 2017-05-25, RPC style): a signed
/// <c>GET {Endpoint}/?Action=SendSms&amp;…</c> with the template code configured for the message's
/// template key, its parameters as <c>TemplateParam</c> JSON and the client reference as <c>OutId</c>, which
/// comes back on receipts. <see cref="SendBatchAsync"/> uses <c>SendBatchSms</c> (one template, up to 100
/// numbers). <c>Code</c> "OK" is accepted with the <c>BizId</c>; flow control (<c>isv.BUSINESS_LIMIT_CONTROL</c>,
/// <c>Throttling.*</c>, HTTP 429) is throttled; <c>isp.*</c>, 5xx, timeouts and network errors are transient, as
/// are account-level refusals (credentials, balance, signature name) so a secondary provider can take over;
/// other <c>isv.*</c> codes (invalid number, template problems, blocked content) are permanent.
/// The API has no validity period, so a message whose window has closed is refused before the call, and it
/// has no idempotency: a retry after a timeout can send twice.
/// </summary>
public sealed class AliyunStyleSmsSender : ISmsSender
{
    public const int MaxBatchSize = 100;

    /// <summary>Prefix of the <c>OutId</c> of a batch (SendBatchSms takes one OutId for all its numbers).</summary>
    public const string BatchOutIdPrefix = "batch-";

    private static readonly HashSet<string> ThrottlingCodes =
        ["isv.BUSINESS_LIMIT_CONTROL", "Throttling", "Throttling.User", "Throttling.Api"];

    // Refusals about our account or set-up, not about the message: transient, so another account may send it.
    private static readonly HashSet<string> AccountLevelCodes =
    [
        "InvalidAccessKeyId.NotFound", "InvalidAccessKeyId.Inactive", "SignatureDoesNotMatch", "IncompleteSignature",
        "SignatureNonceUsed", "InvalidTimeStamp.Expired", "Forbidden.RAM", "isp.RAM_PERMISSION_DENY",
        "isv.AMOUNT_NOT_ENOUGH", "isv.OUT_OF_SERVICE", "isv.ACCOUNT_NOT_EXISTS", "isv.ACCOUNT_ABNORMAL",
        "isv.SMS_SIGNATURE_ILLEGAL", "ServiceUnavailable", "InternalError",
    ];

    // A batch refused with one of these was refused because of some of its numbers: send it one by one.
    private static readonly HashSet<string> NumberSpecificCodes = ["isv.MOBILE_NUMBER_ILLEGAL", "isv.BUSINESS_LIMIT_CONTROL"];

    private static readonly JsonSerializerOptions TemplateJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpClient _httpClient;
    private readonly AliyunStyleOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<AliyunStyleSmsSender> _logger;

    public AliyunStyleSmsSender(
        HttpClient httpClient,
        IOptions<AliyunStyleOptions> options,
        TimeProvider timeProvider,
        ILogger<AliyunStyleSmsSender> logger)
    {
        _httpClient = httpClient;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        Validator.ValidateObject(_options, new ValidationContext(_options), validateAllProperties: true);
    }

    public string Name => _options.Name;

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken = default)
    {
        if (Refusal(message, out var templateCode, out var number) is { } refused)
        {
            return Logged(message, refused);
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Action"] = "SendSms",
            ["PhoneNumbers"] = number,
            ["SignName"] = _options.SignName,
            ["TemplateCode"] = templateCode,
            ["TemplateParam"] = JsonSerializer.Serialize(message.Parameters, TemplateJson),
            ["OutId"] = message.ClientReference,
        };
        return Logged(message, await CallAsync(parameters, cancellationToken));
    }

    /// <summary>
    /// Sends many messages with <c>SendBatchSms</c> and returns one result per message, in order. Messages are
    /// grouped by template code and cut into batches of at most <see cref="MaxBatchSize"/> distinct numbers
    /// (a lone message goes through <c>SendSms</c>). A batch refused because of some of its numbers (invalid
    /// number, per-number flow control) is resent message by message, so each message gets its own answer.
    /// A batch's receipts carry the batch's <c>OutId</c> (<see cref="BatchOutIdPrefix"/>…), not a client
    /// reference: they can be matched only by the accepted result's <c>BizId</c> and the phone number.
    /// </summary>
    public async Task<IReadOnlyList<SmsSendResult>> SendBatchAsync(IReadOnlyList<SmsMessage> messages, CancellationToken cancellationToken = default)
    {
        var results = new SmsSendResult[messages.Count];
        var ready = new List<(int Index, string TemplateCode, string Number)>();
        for (var i = 0; i < messages.Count; i++)
        {
            if (Refusal(messages[i], out var templateCode, out var number) is { } refused)
            {
                results[i] = Logged(messages[i], refused);
            }
            else
            {
                ready.Add((i, templateCode, number));
            }
        }

        foreach (var group in ready.GroupBy(r => r.TemplateCode, StringComparer.Ordinal))
        {
            foreach (var batch in Batches(group.ToList()))
            {
                await SendOneBatchAsync(messages, batch, group.Key, results, cancellationToken);
            }
        }

        return results;
    }

    /// <summary>
    /// The number as the API takes it: mainland China (+86) numbers as the 11-digit national number, as the
    /// API's examples show them; any other country as country code and number without "+" or "00" (the
    /// documented international form, e.g. 852…). Null for anything that is not E.164.
    /// </summary>
    public static string? ToApiNumber(string e164)
    {
        if (e164.Length is < 8 or > 16 || e164[0] != '+' || e164[1] == '0' || e164.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        return e164.StartsWith("+86", StringComparison.Ordinal) ? e164[3..] : e164[1..];
    }

    private SmsSendResult? Refusal(SmsMessage message, out string templateCode, out string number)
    {
        number = "";
        if (!_options.TemplateCodes.TryGetValue(message.TemplateKey, out templateCode!) || string.IsNullOrWhiteSpace(templateCode))
        {
            templateCode = "";
            return new SmsSendResult(SmsSendStatus.Permanent, Code: "no-template-code",
                Detail: $"No template code is configured for template '{message.TemplateKey}'");
        }

        // No validity period in this API: the most we can do is not start a message whose window has closed.
        if (message.ValidUntil <= _timeProvider.GetUtcNow())
        {
            return new SmsSendResult(SmsSendStatus.Permanent, Code: "window-closed",
                Detail: $"The message's window closed at {message.ValidUntil:O}");
        }

        number = ToApiNumber(message.To) ?? "";
        return number.Length == 0
            ? new SmsSendResult(SmsSendStatus.Permanent, Code: "invalid-number", Detail: "The destination is not an E.164 number")
            : null;
    }

    private static IEnumerable<List<(int Index, string TemplateCode, string Number)>> Batches(List<(int Index, string TemplateCode, string Number)> group)
    {
        // Distinct numbers per batch: a batch's receipts can only be told apart by number.
        var batches = new List<(HashSet<string> Numbers, List<(int, string, string)> Items)>();
        foreach (var item in group)
        {
            var batch = batches.FirstOrDefault(b => b.Items.Count < MaxBatchSize && !b.Numbers.Contains(item.Number));
            if (batch.Items is null)
            {
                batch = ([], []);
                batches.Add(batch);
            }

            batch.Numbers.Add(item.Number);
            batch.Items.Add(item);
        }

        return batches.Select(b => b.Items);
    }

    private async Task SendOneBatchAsync(
        IReadOnlyList<SmsMessage> messages,
        List<(int Index, string TemplateCode, string Number)> batch,
        string templateCode,
        SmsSendResult[] results,
        CancellationToken cancellationToken)
    {
        if (batch.Count == 1)
        {
            results[batch[0].Index] = await SendAsync(messages[batch[0].Index], cancellationToken);
            return;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Action"] = "SendBatchSms",
            ["PhoneNumberJson"] = JsonSerializer.Serialize(batch.Select(b => b.Number), TemplateJson),
            ["SignNameJson"] = JsonSerializer.Serialize(batch.Select(_ => _options.SignName), TemplateJson),
            ["TemplateCode"] = templateCode,
            ["TemplateParamJson"] = JsonSerializer.Serialize(batch.Select(b => messages[b.Index].Parameters), TemplateJson),
            ["OutId"] = BatchOutId(batch.Select(b => messages[b.Index].ClientReference)),
        };
        var result = await CallAsync(parameters, cancellationToken);
        foreach (var (index, _, _) in batch)
        {
            results[index] = result.Code is { } code && NumberSpecificCodes.Contains(code)
                ? await SendAsync(messages[index], cancellationToken)
                : Logged(messages[index], result);
        }
    }

    private static string BatchOutId(IEnumerable<string> clientReferences)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', clientReferences)));
        return BatchOutIdPrefix + Convert.ToHexStringLower(hash)[..24];
    }

    private async Task<SmsSendResult> CallAsync(Dictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        parameters["AccessKeyId"] = _options.AccessKeyId;
        parameters["Format"] = "JSON";
        parameters["RegionId"] = _options.RegionId;
        parameters["SignatureMethod"] = "HMAC-SHA1";
        parameters["SignatureNonce"] = Guid.NewGuid().ToString();
        parameters["SignatureVersion"] = "1.0";
        parameters["Timestamp"] = _timeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        parameters["Version"] = "2017-05-25";
        var uri = new Uri($"{_options.Endpoint.TrimEnd('/')}/?{AliyunRpcSignature.SignedQuery(parameters, _options.AccessKeySecret)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await ProviderCall.SendAsync(_httpClient, request, _options.Timeout, Map, cancellationToken);
    }

    private SmsSendResult Map(HttpResponseMessage response, string body)
    {
        var (code, message, bizId) = Read(body);
        if (response.IsSuccessStatusCode && code == "OK")
        {
            return bizId is null
                ? new SmsSendResult(SmsSendStatus.Accepted, Detail: "Accepted without a BizId in the answer")
                : SmsSendResult.Accepted(bizId);
        }

        var reported = code ?? ProviderCall.HttpCode(response);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || ThrottlingCodes.Contains(reported))
        {
            return new SmsSendResult(SmsSendStatus.Throttled, Code: reported, Detail: message,
                RetryAfter: ProviderCall.RetryAfter(response.Headers, _timeProvider));
        }

        var transient = code is null || AccountLevelCodes.Contains(code) || code.StartsWith("isp.", StringComparison.Ordinal)
            || ProviderCall.IsServerError(response);
        return new SmsSendResult(transient ? SmsSendStatus.Transient : SmsSendStatus.Permanent, Code: reported, Detail: message);
    }

    private static (string? Code, string? Message, string? BizId) Read(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                ? (String(root, "Code"), String(root, "Message"), String(root, "BizId"))
                : (null, null, null);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }

        static string? String(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private SmsSendResult Logged(SmsMessage message, SmsSendResult result) => SmsHttpLog.Outcome(_logger, Name, message, result);
}
