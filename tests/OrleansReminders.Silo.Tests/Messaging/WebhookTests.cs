using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Sms.Http;

namespace OrleansReminders.Silo.Tests.Messaging;

/// <summary>Provider callbacks over HTTP on 127.0.0.1: signature first, then routed to the borrower.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private const string TwilioToken = "twilio-test-token";
    private const string PushSecret = "push-test-secret";
    private ServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync(new Dictionary<string, string?>
    {
        ["Sms:Twilio:AuthToken"] = TwilioToken,
        ["Sms:Aliyun:PushSigningSecret"] = PushSecret,
        // The simulated provider sends the messages; its own receipts come far too late to interfere.
        ["Sms:Simulated:FailureRate"] = "0",
        ["Sms:Simulated:PermanentFailureRate"] = "0",
        ["Sms:Simulated:MinReceiptDelay"] = "1.00:00:00",
        ["Sms:Simulated:MaxReceiptDelay"] = "1.00:00:00",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ASignedTwilioStatusCallbackReachesTheBorrowerAndAWrongOrMissingSignatureIs401()
    {
        var (grain, key) = await BorrowerWithMessageAsync("wh-tw-1", "+8613812340001");
        var url = new Uri(_host.BaseAddress, "/webhooks/twilio/status?ref=" + Uri.EscapeDataString(key));
        var form = new Dictionary<string, string> { ["MessageSid"] = "SM1", ["MessageStatus"] = "delivered", ["To"] = "+8613812340001" };

        var unsigned = await PostFormAsync(url, form, signature: null);
        var wrong = await PostFormAsync(url, form, signature: new TwilioWebhookValidator("not-the-token").ComputeSignature(url.ToString(), form));
        Assert.True((await grain.GetStatusAsync())!.Counts.Delivered == 0, await DescribeAsync(grain));
        var signed = await PostFormAsync(url, form, new TwilioWebhookValidator(TwilioToken).ComputeSignature(url.ToString(), form));
        var replayed = await PostFormAsync(url, form, new TwilioWebhookValidator(TwilioToken).ComputeSignature(url.ToString(), form));

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Contains(TwilioWebhookValidator.SignatureHeader, await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, signed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, replayed.StatusCode);
        Assert.Equal(1, (await grain.GetStatusAsync())!.Counts.Delivered); // the replay changed nothing
    }

    [Fact]
    public async Task ASignedTwilioInboundStopFromTheBorrowersNumberOptsThemOut()
    {
        var (grain, _) = await BorrowerWithMessageAsync("wh-tw-2", "+8613812340002");
        var url = new Uri(_host.BaseAddress, "/webhooks/twilio/inbound");
        var form = new Dictionary<string, string> { ["MessageSid"] = "SM-in-1", ["From"] = "+8613812340002", ["Body"] = "TD" };

        var response = await PostFormAsync(url, form, new TwilioWebhookValidator(TwilioToken).ComputeSignature(url.ToString(), form));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("opted-out", (await grain.GetStatusAsync())!.Flags);
    }

    [Fact]
    public async Task AliyunStylePushesNeedAFreshSignatureAndAParsableBody()
    {
        var (grain, key) = await BorrowerWithMessageAsync("wh-ali-1", "+8613812340003");
        var url = new Uri(_host.BaseAddress, "/webhooks/aliyun/receipts");
        var body = $$"""[{"phone_number":"13812340003","success":false,"err_code":"MK:0001","biz_id":"1^1","out_id":"{{key}}","report_time":"2026-11-23 10:00:00"}]""";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stale = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var old = await PushAsync(url, body, stale);
        var garbage = await PushAsync(url, "{not json", now);
        Assert.True((await grain.GetStatusAsync())!.Counts.Failed == 0, await DescribeAsync(grain));
        var fresh = await PushAsync(url, body, now);

        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(AliyunStyleWebhookParser.Acknowledgement, await fresh.Content.ReadAsStringAsync());
        Assert.Equal(1, (await grain.GetStatusAsync())!.Counts.Failed);
    }

    private async Task<(IBorrowerGrain Grain, string MessageKey)> BorrowerWithMessageAsync(string id, string phone)
    {
        var grain = await _host.BorrowerWithADueMessageAsync(id, phone);
        var queued = (await grain.GetRecentHistoryAsync()).Events.First(e => e.Kind == "message.queued");
        var key = queued.Data!["messageKey"];
        // Wait until the dispatcher took it (status Sent), so a receipt has something to move forward.
        for (var i = 0; i < 100 && (await grain.GetStatusAsync())!.Counts.Sent == 0; i++)
        {
            await Task.Delay(50);
        }

        return (grain, key);
    }

    private static async Task<string> DescribeAsync(IBorrowerGrain grain) =>
        string.Join(" | ", (await grain.GetRecentHistoryAsync()).Events.Select(e => $"{e.OccurredAt:HH:mm:ss.fff} {e.Kind} {e.Actor} {e.Reason}"));

    private async Task<HttpResponseMessage> PostFormAsync(Uri url, Dictionary<string, string> form, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.Add(TwilioWebhookValidator.SignatureHeader, signature);
        }

        return await _host.Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PushAsync(Uri url, string body, string timestamp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(AliyunStyleWebhookValidator.TimestampHeader, timestamp);
        request.Headers.Add(AliyunStyleWebhookValidator.SignatureHeader,
            new AliyunStyleWebhookValidator(PushSecret, TimeProvider.System).Sign(timestamp, Encoding.UTF8.GetBytes(body)));
        return await _host.Http.SendAsync(request);
    }
}
