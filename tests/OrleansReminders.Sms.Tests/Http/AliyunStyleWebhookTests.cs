using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Sms.Http;

namespace OrleansReminders.Sms.Tests.Http;

public sealed class AliyunStyleWebhookTests
{
    private const string Secret = "push-shared-secret";

    // The shape of Alibaba's receipt push (SmsReport) and reply push (SmsUp), values ours.
    private const string Reports = """
        [
          {"phone_number":"13900000011","send_time":"2026-03-02 09:00:01","report_time":"2026-03-02 09:00:05","success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1","biz_id":"9006197469364984^1","out_id":"b-17:m-3"},
          {"phone_number":"13900000012","send_time":"2026-03-02 09:00:01","report_time":"2026-03-02 09:01:00","success":false,"err_code":"MK:0001","err_msg":"空号","sms_size":"1","biz_id":"9006197469364984^2","out_id":"b-18:m-1"},
          {"phone_number":"85291234568","send_time":"2026-03-02 09:00:01","report_time":"2026-03-02 09:00:09","success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1","biz_id":"9006197469364984^3","out_id":"batch-0123456789abcdef01234567"},
          {"phone_number":"13900000013","success":true,"err_code":"DELIVERED","out_id":"b-19:m-1"}
        ]
        """;

    private const string Replies = """
        [
          {"dest_code":"1231234","send_time":"2026-03-02 09:30:00","sign_name":"催收提醒","sequence_id":1234,"phone_number":"13900000011","content":"已还款"},
          {"dest_code":"1231234","send_time":"2026-03-02 09:31:00","sign_name":"催收提醒","sequence_id":"1235","phone_number":"85291234568","content":"STOP"},
          {"dest_code":"1231234","send_time":"2026-03-02 09:32:00","sign_name":"催收提醒","phone_number":"13900000012","content":"no sequence id"}
        ]
        """;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 1, 30, 0, TimeSpan.Zero));

    [Fact]
    public void SignedFreshPushIsValid()
    {
        var validator = Validator();
        var timestamp = Timestamp(_clock.GetUtcNow());

        Assert.Equal(PushVerdict.Valid, validator.Verify(timestamp, Sign(timestamp, Reports), Reports));
    }

    [Fact]
    public void SignatureIsHmacSha256OverTimestampNewlineBody()
    {
        // Independent of the validator: the documented construction, computed here with HMACSHA256 directly.
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("1772415000\n" + Reports)));

        Assert.Equal(expected, Validator().Sign("1772415000", Encoding.UTF8.GetBytes(Reports)));
    }

    [Fact]
    public void WrongSignatureIsRejected()
    {
        var timestamp = Timestamp(_clock.GetUtcNow());
        var otherSecret = new AliyunStyleWebhookValidator("another-secret", _clock).Sign(timestamp, Encoding.UTF8.GetBytes(Reports));

        Assert.Equal(PushVerdict.BadSignature, Validator().Verify(timestamp, otherSecret, Reports));
        Assert.Equal(PushVerdict.BadSignature, Validator().Verify(timestamp, Sign(timestamp, Reports), Reports.Replace("true", "false", StringComparison.Ordinal)));
        Assert.Equal(PushVerdict.BadSignature, Validator().Verify(timestamp, "bm90IGEgc2lnbmF0dXJl", Reports));
    }

    [Fact]
    public void TimestampIsPartOfTheSignature()
    {
        var timestamp = Timestamp(_clock.GetUtcNow());
        var other = Timestamp(_clock.GetUtcNow().AddSeconds(-1));

        Assert.Equal(PushVerdict.BadSignature, Validator().Verify(other, Sign(timestamp, Reports), Reports));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void MissingHeadersAreRejected(bool withTimestamp, bool withSignature)
    {
        var timestamp = Timestamp(_clock.GetUtcNow());

        Assert.Equal(PushVerdict.MissingHeaders, Validator().Verify(
            withTimestamp ? timestamp : null,
            withSignature ? Sign(timestamp, Reports) : "",
            Reports));
    }

    [Theory]
    [InlineData(-301, PushVerdict.StaleTimestamp)]
    [InlineData(-299, PushVerdict.Valid)]
    [InlineData(299, PushVerdict.Valid)]
    [InlineData(301, PushVerdict.StaleTimestamp)]
    [InlineData(-86_400, PushVerdict.StaleTimestamp)]
    public void TimestampOutsideTheWindowIsRejected(int offsetSeconds, PushVerdict expected)
    {
        var timestamp = Timestamp(_clock.GetUtcNow().AddSeconds(offsetSeconds));

        Assert.Equal(expected, Validator().Verify(timestamp, Sign(timestamp, Reports), Reports));
    }

    [Fact]
    public void WindowIsConfigurable()
    {
        var validator = new AliyunStyleWebhookValidator(Secret, _clock, TimeSpan.FromMinutes(1));
        var timestamp = Timestamp(_clock.GetUtcNow().AddSeconds(-90));

        Assert.Equal(PushVerdict.StaleTimestamp, validator.Verify(timestamp, Sign(timestamp, Reports), Reports));
    }

    [Fact]
    public void SignedTimestampThatIsNotANumberIsRejected()
    {
        Assert.Equal(PushVerdict.StaleTimestamp, Validator().Verify("yesterday", Sign("yesterday", Reports), Reports));
    }

    [Fact]
    public void ReportsMapToDeliveredAndFailedWithTheClientReference()
    {
        var reports = AliyunStyleWebhookParser.ParseReports(Reports);

        Assert.Equal(
            [
                new SmsDeliveryReport("b-17:m-3", DeliveryStatus.Delivered, "DELIVERED", "9006197469364984^1",
                    new DateTimeOffset(2026, 3, 2, 1, 0, 5, TimeSpan.Zero), "+8613900000011"),
                new SmsDeliveryReport("b-18:m-1", DeliveryStatus.Failed, "MK:0001", "9006197469364984^2",
                    new DateTimeOffset(2026, 3, 2, 1, 1, 0, TimeSpan.Zero), "+8613900000012"),
                new SmsDeliveryReport(null, DeliveryStatus.Delivered, "DELIVERED", "9006197469364984^3",
                    new DateTimeOffset(2026, 3, 2, 1, 0, 9, TimeSpan.Zero), "+85291234568"),
            ],
            reports);
    }

    [Fact]
    public void RepliesMapWithTheirSequenceId()
    {
        var replies = AliyunStyleWebhookParser.ParseReplies(Replies);

        Assert.Equal(
            [
                new SmsInboundMessage("1234", "+8613900000011", "已还款", new DateTimeOffset(2026, 3, 2, 1, 30, 0, TimeSpan.Zero), "1231234"),
                new SmsInboundMessage("1235", "+85291234568", "STOP", new DateTimeOffset(2026, 3, 2, 1, 31, 0, TimeSpan.Zero), "1231234"),
            ],
            replies);
    }

    [Fact]
    public void BodyThatIsNotJsonThrows()
    {
        Assert.ThrowsAny<JsonException>(() => AliyunStyleWebhookParser.ParseReports("<html>"));
        Assert.Empty(AliyunStyleWebhookParser.ParseReports("{}"));
    }

    [Fact]
    public async Task SignedPushOverHttpIsAcknowledgedAndTamperedOrStaleIsRefused()
    {
        var validator = Validator();
        var received = new List<SmsDeliveryReport>();
        await using var endpoint = await StubServer.StartAsync(app => app.MapPost("/sms/aliyun/reports", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var verdict = validator.Verify(
                context.Request.Headers[AliyunStyleWebhookValidator.TimestampHeader],
                context.Request.Headers[AliyunStyleWebhookValidator.SignatureHeader],
                buffer.ToArray());
            if (verdict != PushVerdict.Valid)
            {
                return Results.Text(verdict.ToString(), statusCode: 401);
            }

            received.AddRange(AliyunStyleWebhookParser.ParseReports(Encoding.UTF8.GetString(buffer.ToArray())));
            return Results.Text(AliyunStyleWebhookParser.Acknowledgement, "application/json");
        }));
        using var http = new HttpClient();
        var fresh = Timestamp(_clock.GetUtcNow());
        var stale = Timestamp(_clock.GetUtcNow().AddMinutes(-10));

        using var signed = await http.SendAsync(Push(endpoint, fresh, Sign(fresh, Reports), Reports));
        using var tampered = await http.SendAsync(Push(endpoint, fresh, Sign(fresh, Reports), Reports.Replace("MK:0001", "DELIVERED", StringComparison.Ordinal)));
        using var replayed = await http.SendAsync(Push(endpoint, stale, Sign(stale, Reports), Reports));

        using var acknowledgement = JsonDocument.Parse(await signed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(0, acknowledgement.RootElement.GetProperty("code").GetInt32());
        Assert.Equal((HttpStatusCode.Unauthorized, "BadSignature"), (tampered.StatusCode, await tampered.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.Unauthorized, "StaleTimestamp"), (replayed.StatusCode, await replayed.Content.ReadAsStringAsync()));
        Assert.Equal(3, received.Count);
    }

    private static HttpRequestMessage Push(StubServer endpoint, string timestamp, string signature, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url("/sms/aliyun/reports"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(AliyunStyleWebhookValidator.TimestampHeader, timestamp);
        request.Headers.Add(AliyunStyleWebhookValidator.SignatureHeader, signature);
        return request;
    }

    private AliyunStyleWebhookValidator Validator() => new(Secret, _clock);

    private string Sign(string timestamp, string body) => Validator().Sign(timestamp, Encoding.UTF8.GetBytes(body));

    private static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
