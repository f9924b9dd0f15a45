using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Sms.Http;

namespace OrleansReminders.Sms.Tests.Http;

public sealed class TwilioWebhookTests
{
    // Twilio's documented example (twilio.com/docs/usage/security, and the helper libraries' tests):
    // auth token 12345, this URL and these parameters sign to RSOYDt4T1cUTdK1PDd93/VVr8B8=.
    private const string ExampleUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string ExampleSignature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    private static readonly Dictionary<string, string> ExampleParameters = new()
    {
        ["CallSid"] = "CA1234567890ABCDE",
        ["Caller"] = "+14158675309",
        ["Digits"] = "1234",
        ["From"] = "+14158675309",
        ["To"] = "+18005551212",
    };

    private readonly TwilioWebhookValidator _validator = new("12345");

    [Fact]
    public void TwilioDocumentedExampleVerifies()
    {
        Assert.Equal(ExampleSignature, _validator.ComputeSignature(ExampleUrl, ExampleParameters));
        Assert.True(_validator.IsValid(ExampleUrl, ExampleParameters, ExampleSignature));
    }

    [Fact]
    public void ParameterOrderDoesNotMatter()
    {
        Assert.True(_validator.IsValid(ExampleUrl, ExampleParameters.Reverse(), ExampleSignature));
    }

    [Fact]
    public void TamperedParameterIsRejected()
    {
        var tampered = new Dictionary<string, string>(ExampleParameters) { ["Digits"] = "1235" };

        Assert.False(_validator.IsValid(ExampleUrl, tampered, ExampleSignature));
    }

    [Fact]
    public void TamperedUrlIsRejected()
    {
        Assert.False(_validator.IsValid("https://mycompany.com/myapp.php?foo=2&bar=2", ExampleParameters, ExampleSignature));
    }

    [Fact]
    public void OtherAuthTokenIsRejected()
    {
        Assert.False(new TwilioWebhookValidator("54321").IsValid(ExampleUrl, ExampleParameters, ExampleSignature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not base64!")]
    [InlineData("RSOYDt4T1cUTdK1PDd93")]
    public void MissingOrMalformedSignatureIsRejected(string? signature)
    {
        Assert.False(_validator.IsValid(ExampleUrl, ExampleParameters, signature));
    }

    [Fact]
    public void DefaultPortMayBePresentOnEitherSide()
    {
        var signedWithPort = _validator.ComputeSignature("https://mycompany.com:443/myapp.php?foo=1&bar=2", ExampleParameters);

        Assert.True(_validator.IsValid(ExampleUrl, ExampleParameters, signedWithPort));
        Assert.True(_validator.IsValid("https://mycompany.com:443/myapp.php?foo=1&bar=2", ExampleParameters, ExampleSignature));
        Assert.False(_validator.IsValid("https://mycompany.com:8443/myapp.php?foo=1&bar=2", ExampleParameters, ExampleSignature));
    }

    [Theory]
    [InlineData("accepted", DeliveryStatus.Queued)]
    [InlineData("scheduled", DeliveryStatus.Queued)]
    [InlineData("queued", DeliveryStatus.Queued)]
    [InlineData("sending", DeliveryStatus.Sent)]
    [InlineData("sent", DeliveryStatus.Sent)]
    [InlineData("delivered", DeliveryStatus.Delivered)]
    [InlineData("read", DeliveryStatus.Delivered)]
    [InlineData("undelivered", DeliveryStatus.Undeliverable)]
    [InlineData("failed", DeliveryStatus.Failed)]
    [InlineData("canceled", DeliveryStatus.Failed)]
    public void EveryTrackedStatusMaps(string messageStatus, DeliveryStatus expected)
    {
        var report = TwilioWebhookParser.ParseStatusCallback(
            "https://hooks.example.test/sms/twilio/status?ref=b-17%3Am-3",
            new Dictionary<string, string>
            {
                ["MessageSid"] = "SM1",
                ["MessageStatus"] = messageStatus,
                ["To"] = "+14155550100",
            });

        Assert.NotNull(report);
        Assert.Equal("b-17:m-3", report.ClientReference);
        Assert.Equal(expected, report.Status);
        Assert.Equal("SM1", report.ProviderMessageId);
        Assert.Equal("+14155550100", report.PhoneNumber);
    }

    [Theory]
    [InlineData("undelivered", "30003")]
    [InlineData("failed", "30008")]
    public void ErrorCodeBecomesTheProviderCode(string messageStatus, string errorCode)
    {
        var report = TwilioWebhookParser.ParseStatusCallback("https://h.test/s?ref=r1", new Dictionary<string, string>
        {
            ["MessageSid"] = "SM2",
            ["MessageStatus"] = messageStatus,
            ["ErrorCode"] = errorCode,
        });

        Assert.Equal(errorCode, report!.ProviderCode);
    }

    [Theory]
    [InlineData("receiving")]
    [InlineData("received")]
    [InlineData("something-new")]
    public void StatusesThatSayNothingAboutDeliveryAreIgnored(string messageStatus)
    {
        Assert.Null(TwilioWebhookParser.ParseStatusCallback("https://h.test/s?ref=r1", new Dictionary<string, string>
        {
            ["MessageSid"] = "SM3",
            ["MessageStatus"] = messageStatus,
        }));
    }

    [Fact]
    public void CallbackWithoutReferenceHasNoClientReference()
    {
        var report = TwilioWebhookParser.ParseStatusCallback("https://h.test/s", new Dictionary<string, string>
        {
            ["MessageSid"] = "SM4",
            ["MessageStatus"] = "delivered",
        });

        Assert.Null(report!.ClientReference);
    }

    [Fact]
    public void InboundMessageBecomesAReply()
    {
        var reply = TwilioWebhookParser.ParseInboundMessage(new Dictionary<string, string>
        {
            ["MessageSid"] = "SM5",
            ["From"] = "+14155550100",
            ["To"] = TwilioStub.From,
            ["Body"] = "PAID",
            ["NumMedia"] = "0",
        });

        Assert.Equal(new SmsInboundMessage("SM5", "+14155550100", "PAID", null, TwilioStub.From), reply);
        Assert.Null(TwilioWebhookParser.ParseInboundMessage(new Dictionary<string, string> { ["Body"] = "PAID" }));
    }

    [Fact]
    public async Task SignedCallbackOverHttpIsAcceptedAndUnsignedIsRefused()
    {
        var validator = new TwilioWebhookValidator(TwilioStub.AuthToken);
        SmsDeliveryReport? received = null;
        await using var endpoint = await StubServer.StartAsync(app => app.MapPost("/sms/twilio/status", async (HttpContext context) =>
        {
            var form = (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
            var url = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}";
            if (!validator.IsValid(url, form, context.Request.Headers[TwilioWebhookValidator.SignatureHeader]))
            {
                return Results.StatusCode(403);
            }

            received = TwilioWebhookParser.ParseStatusCallback(url, form);
            return Results.NoContent();
        }));
        var callbackUrl = TwilioStyleSmsSender.StatusCallbackFor(endpoint.Url("/sms/twilio/status"), "b-9:m-1");
        var form = new Dictionary<string, string> { ["MessageSid"] = "SM6", ["MessageStatus"] = "undelivered", ["ErrorCode"] = "30005" };
        using var http = new HttpClient();

        using var unsigned = await http.PostAsync(callbackUrl, new FormUrlEncodedContent(form));
        using var signedRequest = new HttpRequestMessage(HttpMethod.Post, callbackUrl) { Content = new FormUrlEncodedContent(form) };
        signedRequest.Headers.Add(TwilioWebhookValidator.SignatureHeader, validator.ComputeSignature(callbackUrl, form));
        using var signed = await http.SendAsync(signedRequest);

        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, signed.StatusCode);
        Assert.Equal(new SmsDeliveryReport("b-9:m-1", DeliveryStatus.Undeliverable, "30005", "SM6", null), received);
    }
}
