using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansReminders.Grains.Messaging;
using OrleansReminders.Sms.Http;

namespace OrleansReminders.Sms.Tests.Http;

public sealed class AliyunStyleSmsSenderTests(AliyunStub stub) : IClassFixture<AliyunStub>
{
    [Fact]
    public void SignatureMatchesAlibabaDocumentedExample()
    {
        // The worked example of Alibaba Cloud's SMS signature documentation (help.aliyun.com, 签名机制):
        // AccessKeySecret "testSecret", these parameters, signature zJDF+Lrzhj/ThnlvIToysFRq6t4=.
        var parameters = new Dictionary<string, string>
        {
            ["AccessKeyId"] = "testId",
            ["Action"] = "SendSms",
            ["Format"] = "XML",
            ["OutId"] = "123",
            ["PhoneNumbers"] = "15300000001",
            ["RegionId"] = "cn-hangzhou",
            ["SignName"] = "阿里云短信测试专用",
            ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureNonce"] = "45e25e9b-0a6f-4070-8c85-2956eda1b466",
            ["SignatureVersion"] = "1.0",
            ["TemplateCode"] = "SMS_71390007",
            ["TemplateParam"] = """{"customer":"test"}""",
            ["Timestamp"] = "2017-07-12T02:42:19Z",
            ["Version"] = "2017-05-25",
        };

        var canonical = AliyunRpcSignature.Canonicalize(parameters);

        Assert.StartsWith("AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou&SignName=%E9%98%BF%E9%87%8C", canonical);
        Assert.Contains("&TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z&", canonical);
        Assert.Equal("zJDF+Lrzhj/ThnlvIToysFRq6t4=", AliyunRpcSignature.Sign("testSecret", AliyunRpcSignature.StringToSign("GET", canonical)));
        Assert.EndsWith("&Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D", AliyunRpcSignature.SignedQuery(parameters, "testSecret"));
    }

    [Theory]
    [InlineData("a b", "a%20b")]
    [InlineData("a*b", "a%2Ab")]
    [InlineData("a~b-c_d.e", "a~b-c_d.e")]
    [InlineData("a+b/c", "a%2Bb%2Fc")]
    [InlineData("催", "%E5%82%AC")]
    public void PercentEncodingFollowsAlibabaRules(string value, string expected)
    {
        Assert.Equal(expected, AliyunRpcSignature.PercentEncode(value));
    }

    [Theory]
    [InlineData("+8613800138000", "13800138000")]
    [InlineData("+85291234567", "85291234567")]
    [InlineData("+14155550100", "14155550100")]
    [InlineData("13800138000", null)]
    [InlineData("+86 138 0013 8000", null)]
    [InlineData("+0123456789", null)]
    public void NumbersGoOutWithoutThePlusAndMainlandWithoutTheCountryCode(string e164, string? expected)
    {
        Assert.Equal(expected, AliyunStyleSmsSender.ToApiNumber(e164));
    }

    [Fact]
    public async Task AcceptedMessageCarriesTheBizIdAndTheRequestHasAlibabaShape()
    {
        var message = Message("+8613900000011", "reminder.first", out var marker);

        var result = await Send(message);

        Assert.Equal(SmsSendStatus.Accepted, result.Status);
        Assert.StartsWith("9006197469364984^", result.ProviderMessageId);
        var call = Assert.Single(stub.CallsFor(marker));
        Assert.Equal("SendSms", call["Action"]);
        Assert.Equal("13900000011", call["PhoneNumbers"]);
        Assert.Equal(AliyunStub.SignName, call["SignName"]);
        Assert.Equal("SMS_100001", call["TemplateCode"]);
        Assert.Equal(message.ClientReference, call["OutId"]);
        Assert.Equal("2026-03-02T01:00:00Z", call["Timestamp"]);
        Assert.Equal(message.Parameters, JsonSerializer.Deserialize<Dictionary<string, string>>(call["TemplateParam"]));
    }

    [Fact]
    public async Task InternationalNumberGoesOutWithItsCountryCode()
    {
        var result = await Send(Message("+85291234567", "reminder.first", out var marker));

        Assert.Equal(SmsSendStatus.Accepted, result.Status);
        Assert.Equal("85291234567", Assert.Single(stub.CallsFor(marker))["PhoneNumbers"]);
    }

    [Fact]
    public async Task TemplateKeyWithoutCodeIsPermanentAndNothingIsSent()
    {
        var result = await Send(Message("+8613900000012", "reminder.unmapped", out var marker));

        Assert.Equal(SmsSendStatus.Permanent, result.Status);
        Assert.Equal("no-template-code", result.Code);
        Assert.Empty(stub.CallsFor(marker));
    }

    [Fact]
    public async Task ClosedWindowIsPermanentAndNothingIsSent()
    {
        var result = await Send(Message("+8613900000013", "reminder.first", out var marker, validFor: TimeSpan.Zero));

        Assert.Equal(SmsSendStatus.Permanent, result.Status);
        Assert.Equal("window-closed", result.Code);
        Assert.Empty(stub.CallsFor(marker));
    }

    [Fact]
    public async Task InvalidNumberIsPermanentWithAlibabaCode()
    {
        var result = await Send(Message("+86" + AliyunStub.InvalidNumber, "reminder.first", out _));

        Assert.Equal(SmsSendStatus.Permanent, result.Status);
        Assert.Equal("isv.MOBILE_NUMBER_ILLEGAL", result.Code);
    }

    [Fact]
    public async Task PerNumberFlowControlIsThrottled()
    {
        var result = await Send(Message("+86" + AliyunStub.LimitedNumber, "reminder.first", out _));

        Assert.Equal(SmsSendStatus.Throttled, result.Status);
        Assert.Equal("isv.BUSINESS_LIMIT_CONTROL", result.Code);
    }

    [Fact]
    public async Task TooManyRequestsIsThrottledWithRetryAfter()
    {
        var result = await Send(Message("+86" + AliyunStub.ThrottledNumber, "reminder.first", out _));

        Assert.Equal(SmsSendStatus.Throttled, result.Status);
        Assert.Equal("Throttling.User", result.Code);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Fact]
    public async Task ServerErrorIsTransient()
    {
        var result = await Send(Message("+86" + AliyunStub.FailingNumber, "reminder.first", out _));

        Assert.Equal(SmsSendStatus.Transient, result.Status);
        Assert.Equal("isp.SYSTEM_ERROR", result.Code);
    }

    [Fact]
    public async Task SlowAnswerBeyondTheTimeoutIsTransient()
    {
        var clock = Stopwatch.StartNew();

        var result = await Send(Message("+86" + AliyunStub.SlowNumber, "reminder.first", out _), o => o.Timeout = TimeSpan.FromMilliseconds(300));

        Assert.Equal(SmsSendStatus.Transient, result.Status);
        Assert.Equal("timeout", result.Code);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task RefusedConnectionIsTransient()
    {
        var result = await Send(Message("+8613900000014", "reminder.first", out _), o => o.Endpoint = StubServer.ClosedAddress().ToString());

        Assert.Equal(SmsSendStatus.Transient, result.Status);
        Assert.Equal("network", result.Code);
    }

    [Fact]
    public async Task WrongSecretFailsTheStubSignatureCheckAndIsTransient()
    {
        var result = await Send(Message("+8613900000015", "reminder.first", out var marker), o => o.AccessKeySecret = "not-the-secret");

        Assert.Equal(SmsSendStatus.Transient, result.Status);
        Assert.Equal("SignatureDoesNotMatch", result.Code);
        Assert.Empty(stub.CallsFor(marker));
    }

    [Fact]
    public async Task BatchGoesOutAsOneSendBatchSmsWithOneResultPerMessage()
    {
        var marker = Guid.NewGuid().ToString("N");
        SmsMessage[] messages =
        [
            Message("+8613900000021", "reminder.first", marker),
            Message("+8613900000022", "reminder.first", marker),
            Message("+8613900000023", "reminder.unmapped", marker),
            Message("+85291234568", "reminder.first", marker),
        ];

        var results = await SendBatch(messages);

        var call = Assert.Single(stub.CallsFor(marker));
        Assert.Equal("SendBatchSms", call["Action"]);
        Assert.Equal("SMS_100001", call["TemplateCode"]);
        Assert.Equal(["13900000021", "13900000022", "85291234568"], JsonSerializer.Deserialize<string[]>(call["PhoneNumberJson"])!);
        Assert.Equal([AliyunStub.SignName, AliyunStub.SignName, AliyunStub.SignName], JsonSerializer.Deserialize<string[]>(call["SignNameJson"])!);
        var parameters = JsonSerializer.Deserialize<Dictionary<string, string>[]>(call["TemplateParamJson"])!;
        Assert.Equal(messages[1].Parameters, parameters[1]);
        Assert.StartsWith(AliyunStyleSmsSender.BatchOutIdPrefix, call["OutId"]);
        Assert.Equal(4, results.Count);
        Assert.All([results[0], results[1], results[3]], r => Assert.Equal(SmsSendStatus.Accepted, r.Status));
        Assert.Single(new[] { results[0], results[1], results[3] }.Select(r => r.ProviderMessageId).Distinct());
        Assert.Equal(("no-template-code", SmsSendStatus.Permanent), (results[2].Code, results[2].Status));
    }

    [Fact]
    public async Task BatchRefusedForOneNumberIsResentOneByOne()
    {
        var marker = Guid.NewGuid().ToString("N");
        SmsMessage[] messages =
        [
            Message("+8613900000031", "reminder.first", marker),
            Message("+86" + AliyunStub.InvalidNumber, "reminder.first", marker),
            Message("+8613900000032", "reminder.first", marker),
        ];

        var results = await SendBatch(messages);

        Assert.Equal(["SendBatchSms", "SendSms", "SendSms", "SendSms"], stub.CallsFor(marker).Select(c => c["Action"]));
        Assert.Equal(SmsSendStatus.Accepted, results[0].Status);
        Assert.Equal((SmsSendStatus.Permanent, "isv.MOBILE_NUMBER_ILLEGAL"), (results[1].Status, results[1].Code));
        Assert.Equal(SmsSendStatus.Accepted, results[2].Status);
        Assert.Equal(messages[2].ClientReference, stub.CallsFor(marker)[3]["OutId"]);
    }

    [Fact]
    public async Task BatchIsSplitByTemplateAndNeverRepeatsANumber()
    {
        var marker = Guid.NewGuid().ToString("N");
        SmsMessage[] messages =
        [
            Message("+8613900000041", "reminder.first", marker),
            Message("+8613900000042", "reminder.first", marker),
            Message("+8613900000041", "reminder.first", marker),
            Message("+8613900000043", "reminder.second", marker),
            Message("+8613900000044", "reminder.second", marker),
        ];

        var results = await SendBatch(messages);

        var calls = stub.CallsFor(marker);
        Assert.Equal(
            ["SendBatchSms SMS_100001", "SendSms SMS_100001", "SendBatchSms SMS_100002"],
            calls.Select(c => $"{c["Action"]} {c["TemplateCode"]}"));
        Assert.Equal("13900000041", calls[1]["PhoneNumbers"]);
        Assert.Equal(messages[2].ClientReference, calls[1]["OutId"]);
        Assert.All(results, r => Assert.Equal(SmsSendStatus.Accepted, r.Status));
    }

    [Fact]
    public async Task LogsShowOnlyTheLastFourDigits()
    {
        var logger = new ListLogger<AliyunStyleSmsSender>();

        await Send(Message("+86" + AliyunStub.InvalidNumber, "reminder.first", out _), logger: logger);

        var line = Assert.Single(logger.Lines);
        Assert.Contains("+*********0001", line, StringComparison.Ordinal);
        Assert.DoesNotContain("1380000", line, StringComparison.Ordinal);
    }

    private async Task<SmsSendResult> Send(SmsMessage message, Action<AliyunStyleOptions>? configure = null, ILogger<AliyunStyleSmsSender>? logger = null)
    {
        using var http = new HttpClient();
        return await Sender(http, configure, logger).SendAsync(message);
    }

    private async Task<IReadOnlyList<SmsSendResult>> SendBatch(IReadOnlyList<SmsMessage> messages)
    {
        using var http = new HttpClient();
        return await Sender(http, null, null).SendBatchAsync(messages);
    }

    private AliyunStyleSmsSender Sender(HttpClient http, Action<AliyunStyleOptions>? configure, ILogger<AliyunStyleSmsSender>? logger)
    {
        var options = new AliyunStyleOptions
        {
            Endpoint = stub.BaseAddress.ToString(),
            AccessKeyId = AliyunStub.AccessKeyId,
            AccessKeySecret = AliyunStub.AccessKeySecret,
            SignName = AliyunStub.SignName,
            TemplateCodes = new() { ["reminder.first"] = "SMS_100001", ["reminder.second"] = "SMS_100002", ["reminder.unmapped"] = " " },
            Timeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        return new AliyunStyleSmsSender(http, Options.Create(options), stub.Clock, logger ?? NullLogger<AliyunStyleSmsSender>.Instance);
    }

    private SmsMessage Message(string to, string templateKey, out string marker, TimeSpan? validFor = null)
    {
        marker = Guid.NewGuid().ToString("N");
        return Message(to, templateKey, marker, validFor);
    }

    private SmsMessage Message(string to, string templateKey, string marker, TimeSpan? validFor = null) => new(
        $"b-{marker}:m-{Guid.NewGuid():N}",
        "borrower-1",
        to,
        "rendered text (unused: this provider sends by template)",
        templateKey,
        new Dictionary<string, string> { ["name"] = "张三", ["amount"] = "1,200.00元", ["case"] = marker },
        stub.Clock.GetUtcNow() + (validFor ?? TimeSpan.FromHours(4)),
        Transactional: false,
        Tier: "standard");
}
