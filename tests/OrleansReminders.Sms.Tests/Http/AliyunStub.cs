using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace OrleansReminders.Sms.Tests.Http;

/// <summary>
/// A stand-in for Alibaba Cloud's Dysmsapi RPC endpoint. It checks what the real one checks: the common
/// parameters, the Timestamp (within 15 minutes), a fresh SignatureNonce, the access key, and the signature,
/// which it recomputes with its own implementation of the algorithm (System.Uri's RFC 3986 escaping, not the
/// adapter's encoder). Then SendSms/SendBatchSms parameters: numbers as digits only, the sign name, a known
/// template code, template parameters as JSON, an OutId. The number picks the answer, Alibaba-style: HTTP 200
/// with a Code, except 429 and 500. A failed check answers with a Code starting "stub:" that says which.
/// </summary>
public sealed class AliyunStub : IAsyncLifetime
{
    public const string AccessKeyId = "LTAI5tStubAccessKey";
    public const string AccessKeySecret = "stub-access-key-secret";
    public const string SignName = "催收提醒";
    public const string InvalidNumber = "13800000001";
    public const string LimitedNumber = "13800000002";
    public const string ThrottledNumber = "13800000429";
    public const string FailingNumber = "13800000500";
    public const string SlowNumber = "13800000999";

    public static readonly IReadOnlySet<string> TemplateCodes = new HashSet<string> { "SMS_100001", "SMS_100002" };

    // Alibaba's answers use PascalCase names (Code, Message, BizId), not ASP.NET Core's camelCase default.
    private static readonly JsonSerializerOptions PascalCase = new();

    private readonly ConcurrentDictionary<string, bool> _nonces = new();
    private StubServer? _server;
    private int _bizIds;

    /// <summary>Business "now" for every test of the class (never advanced, so values are exact).</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    /// <summary>Every call that passed the checks: its parameters, in arrival order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Calls { get; } = new();

    public Uri BaseAddress => _server!.BaseAddress;

    public async Task InitializeAsync() => _server = await StubServer.StartAsync(app => app.MapGet("/", (Delegate)HandleAsync));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>The calls whose OutId or numbers mention this marker (tests share the stub).</summary>
    public List<IReadOnlyDictionary<string, string>> CallsFor(string marker) =>
        [.. Calls.Where(c => c.Values.Any(v => v.Contains(marker, StringComparison.Ordinal)))];

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (CheckCommon(query) is { } refused)
        {
            return refused;
        }

        var check = query["Action"] switch
        {
            "SendSms" => CheckSendSms(query),
            "SendBatchSms" => CheckSendBatchSms(query),
            var other => Answer(400, "InvalidAction.NotFound", $"Specified api '{other}' is not found."),
        };
        if (check is not null)
        {
            return check;
        }

        var numbers = query["Action"] == "SendSms"
            ? query["PhoneNumbers"].Split(',')
            : JsonSerializer.Deserialize<string[]>(query["PhoneNumberJson"])!;
        Calls.Enqueue(query);
        if (numbers.Contains(InvalidNumber))
        {
            return Answer(200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号");
        }

        if (numbers.Contains(LimitedNumber))
        {
            return Answer(200, "isv.BUSINESS_LIMIT_CONTROL", "触发号码天级流控Permits:10");
        }

        if (numbers.Contains(ThrottledNumber))
        {
            context.Response.Headers.RetryAfter = "7";
            return Answer(429, "Throttling.User", "Request was denied due to user flow control.");
        }

        if (numbers.Contains(FailingNumber))
        {
            return Answer(500, "isp.SYSTEM_ERROR", "系统错误");
        }

        if (numbers.Contains(SlowNumber))
        {
            await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted);
        }

        var bizId = $"9006197469364984^{Interlocked.Increment(ref _bizIds)}";
        return Results.Json(new { Code = "OK", Message = "OK", BizId = bizId, RequestId = Guid.NewGuid().ToString().ToUpperInvariant() }, PascalCase);
    }

    private IResult? CheckCommon(Dictionary<string, string> query)
    {
        string[] required = ["AccessKeyId", "Action", "Format", "RegionId", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version", "Signature"];
        if (required.FirstOrDefault(p => string.IsNullOrEmpty(query.GetValueOrDefault(p))) is { } missing)
        {
            return Answer(400, "MissingParameter", $"The input parameter \"{missing}\" that is mandatory for processing this request is not supplied.");
        }

        if (query["AccessKeyId"] != AccessKeyId)
        {
            return Answer(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }

        if (query["Signature"] != ExpectedSignature(query))
        {
            return Answer(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
        }

        if (!DateTimeOffset.TryParseExact(query["Timestamp"], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
            || (timestamp - Clock.GetUtcNow()).Duration() > TimeSpan.FromMinutes(15))
        {
            return Answer(400, "InvalidTimeStamp.Expired", $"Specified time stamp or date value is expired: {query["Timestamp"]}");
        }

        if (!_nonces.TryAdd(query["SignatureNonce"], true))
        {
            return Answer(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
        }

        return (query["Format"], query["SignatureMethod"], query["SignatureVersion"], query["Version"], query["RegionId"]) switch
        {
            ("JSON", "HMAC-SHA1", "1.0", "2017-05-25", "cn-hangzhou") => null,
            var common => Answer(400, "stub:common-parameters", $"Unexpected common parameters {common}"),
        };
    }

    private static IResult? CheckSendSms(Dictionary<string, string> query)
    {
        var numbers = query.GetValueOrDefault("PhoneNumbers") ?? "";
        if (numbers.Length == 0 || !numbers.All(c => char.IsAsciiDigit(c) || c == ','))
        {
            return Answer(200, "stub:phone-numbers", $"PhoneNumbers must be digits, got '{numbers}'");
        }

        if (query.GetValueOrDefault("SignName") != SignName)
        {
            return Answer(200, "isv.SMS_SIGNATURE_ILLEGAL", "签名不合法");
        }

        if (!TemplateCodes.Contains(query.GetValueOrDefault("TemplateCode") ?? ""))
        {
            return Answer(200, "isv.SMS_TEMPLATE_ILLEGAL", "模板不合法");
        }

        if (!IsJsonObject(query.GetValueOrDefault("TemplateParam")))
        {
            return Answer(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法");
        }

        return string.IsNullOrEmpty(query.GetValueOrDefault("OutId")) ? Answer(200, "stub:out-id", "OutId is required by our contract") : null;
    }

    private static IResult? CheckSendBatchSms(Dictionary<string, string> query)
    {
        string[] numbers, signNames;
        JsonElement[] parameters;
        try
        {
            numbers = JsonSerializer.Deserialize<string[]>(query.GetValueOrDefault("PhoneNumberJson") ?? "null") ?? [];
            signNames = JsonSerializer.Deserialize<string[]>(query.GetValueOrDefault("SignNameJson") ?? "null") ?? [];
            parameters = JsonSerializer.Deserialize<JsonElement[]>(query.GetValueOrDefault("TemplateParamJson") ?? "null") ?? [];
        }
        catch (JsonException)
        {
            return Answer(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法");
        }

        if (numbers.Length is 0 or > 100)
        {
            return Answer(200, "isv.MOBILE_COUNT_OVER_LIMIT", "手机号码数量超过限制");
        }

        if (numbers.Any(n => n.Length == 0 || !n.All(char.IsAsciiDigit)))
        {
            return Answer(200, "stub:phone-numbers", "PhoneNumberJson must hold digits only");
        }

        if (signNames.Length != numbers.Length || signNames.Any(s => s != SignName))
        {
            return Answer(200, "isv.SMS_SIGNATURE_ILLEGAL", "签名不合法");
        }

        if (parameters.Length != numbers.Length || parameters.Any(p => p.ValueKind != JsonValueKind.Object))
        {
            return Answer(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法");
        }

        return TemplateCodes.Contains(query.GetValueOrDefault("TemplateCode") ?? "") ? null : Answer(200, "isv.SMS_TEMPLATE_ILLEGAL", "模板不合法");
    }

    // The documented algorithm, written independently of the adapter: .NET's EscapeDataString is RFC 3986
    // (unreserved characters kept, everything else as upper-case %XY of the UTF-8 bytes).
    private static string ExpectedSignature(Dictionary<string, string> query)
    {
        var canonical = string.Join("&", query
            .Where(p => p.Key != "Signature")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var stringToSign = "GET&" + Uri.EscapeDataString("/") + "&" + Uri.EscapeDataString(canonical);
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(AccessKeySecret + "&"));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static bool IsJsonObject(string? json)
    {
        try
        {
            if (json is null)
            {
                return false;
            }

            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static IResult Answer(int status, string code, string message) =>
        Results.Json(new { RequestId = Guid.NewGuid().ToString().ToUpperInvariant(), Code = code, Message = message }, PascalCase, statusCode: status);
}
