using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Grains.Messaging;
using OrleansReminders.Sms.Http;

namespace OrleansReminders.Sms.Tests.Http;

public sealed class TwilioStyleSmsSenderTests(TwilioStub stub) : IClassFixture<TwilioStub>
{
    private const string CallbackUrl = "https://hooks.example.test/sms/twilio/status";

    [Fact]
    public async Task AcceptedMessageCarriesTheSidAndTheRequestHasTwilioShape()
    {
        var message = Message("+14155550100", "b-17:m-3", validFor: TimeSpan.FromMinutes(90));

        var result = await Send(message);

        Assert.Equal(SmsSendStatus.Accepted, result.Status);
        var sent = stub.Accepted[result.ProviderMessageId!];
        Assert.Equal("+14155550100", sent["To"]);
        Assert.Equal(TwilioStub.From, sent["From"]);
        Assert.False(sent.ContainsKey("MessagingServiceSid"));
        Assert.Equal(message.Text, sent["Body"]);
        Assert.Equal("5400", sent["ValidityPeriod"]);
        Assert.Equal(CallbackUrl + "?ref=b-17%3Am-3", sent["StatusCallback"]);
    }

    [Fact]
    public async Task TheReferenceOnTheStatusCallbackComesBackThroughTheParser()
    {
        var message = Message("+14155550101", "b 1/m?2&x", validFor: TimeSpan.FromHours(1));

        var result = await Send(message);
        var callback = stub.Accepted[result.ProviderMessageId!]["StatusCallback"];
        var report = TwilioWebhookParser.ParseStatusCallback(callback, new Dictionary<string, string>
        {
            ["MessageSid"] = result.ProviderMessageId!,
            ["MessageStatus"] = "delivered",
        });

        Assert.Equal("b 1/m?2&x", report!.ClientReference);
        Assert.Equal(DeliveryStatus.Delivered, report.Status);
    }

    [Fact]
    public async Task MessagingServiceSidIsSentInsteadOfFrom()
    {
        var result = await Send(Message("+14155550102"), o => o.MessagingServiceSid = "MG0123456789abcdef0123456789abcdef");

        var sent = stub.Accepted[result.ProviderMessageId!];
        Assert.Equal("MG0123456789abcdef0123456789abcdef", sent["MessagingServiceSid"]);
        Assert.False(sent.ContainsKey("From"));
    }

    [Fact]
    public async Task ValidityPeriodIsCappedAtTwilioMaximum()
    {
        var result = await Send(Message("+14155550103", validFor: TimeSpan.FromDays(2)));

        Assert.Equal("36000", stub.Accepted[result.ProviderMessageId!]["ValidityPeriod"]);
    }

    [Theory]
    [InlineData(-60_000)]
    [InlineData(0)]
    [InlineData(999)]
    public async Task ClosedWindowIsPermanentAndNothingIsSent(int validForMilliseconds)
    {
        var before = stub.RequestCount;

        var result = await Send(Message("+14155550104", validFor: TimeSpan.FromMilliseconds(validForMilliseconds)));

        Assert.Equal(SmsSendStatus.Permanent, result.Status);
        Assert.Equal("window-closed", result.Code);
        Assert.Equal(before, stub.RequestCount);
    }

    [Theory]
    [InlineData("+15005550001", "21211")]
    [InlineData("+15005550009", "21614")]
    [InlineData("+15005550004", "21610")]
    public async Task RefusedNumbersArePermanentWithTwilioCode(string to, string code)
    {
        var result = await Send(Message(to));

        Assert.Equal(SmsSendStatus.Permanent, result.Status);
        Assert.Equal(code, result.Code);
        Assert.NotNull(result.Detail);
    }

    [Fact]
    public async Task TooManyRequestsIsThrottledWithRetryAfter()
    {
        var result = await Send(Message(TwilioStub.ThrottledNumber));

        Assert.Equal(SmsSendStatus.Throttled, result.Status);
        Assert.Equal("20429", result.Code);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Fact]
    public async Task ServerErrorIsTransient()
    {
        var result = await Send(Message(TwilioStub.FailingNumber));

        Assert.Equal(SmsSendStatus.Transient, result.Status);
        Assert.Equal("20500", result.Code);
    }

    [Fact]
    public async Task SlowAnswerBeyondTheTimeoutIsTransient()
    {
        var clock = Stopwatch.StartNew();

        var result = await Send(Message(TwilioStub.SlowNumber), o => o.Timeout = TimeSpan.FromMilliseconds(300));

        Assert.Equal(SmsSendStatus.Transient, result.Status);
        Assert.Equal("timeout", result.Code);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task RefusedConnectionIsTransient()
    {
        var result = await Send(Message("+14155550105"), o => o.BaseUrl = StubServer.ClosedAddress().ToString());

        Assert.Equal(SmsSendStatus.Transient, result.Status);
        Assert.Equal("network", result.Code);
    }

    [Fact]
    public async Task WrongAuthTokenIsRefusedByTheStubAndTransient()
    {
        var result = await Send(Message("+14155550106"), o => o.AuthToken = "not-the-token");

        Assert.Equal(SmsSendStatus.Transient, result.Status);
        Assert.Equal("20003", result.Code);
    }

    [Fact]
    public async Task CallerCancellationThrowsInsteadOfReportingAFailure()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Send(Message(TwilioStub.SlowNumber), cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task LogsShowOnlyTheLastFourDigits()
    {
        var logger = new ListLogger<TwilioStyleSmsSender>();

        await Send(Message(TwilioStub.ThrottledNumber), logger: logger);
        await Send(Message("+14155550107"), logger: logger);

        Assert.Equal(2, logger.Lines.Count);
        Assert.Contains(logger.Lines, l => l.Contains("+*******0429", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Contains("+*******0107", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Lines, l => l.Contains("4155550", StringComparison.Ordinal));
    }

    [Fact]
    public void OptionsWithoutASenderAreRefused()
    {
        var options = Options(o => o.From = null);

        Assert.ThrowsAny<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            new TwilioStyleSmsSender(new HttpClient(), Microsoft.Extensions.Options.Options.Create(options), stub.Clock, NullLogger<TwilioStyleSmsSender>.Instance));
    }

    private async Task<SmsSendResult> Send(
        SmsMessage message,
        Action<TwilioStyleOptions>? configure = null,
        ListLogger<TwilioStyleSmsSender>? logger = null,
        CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient();
        var sender = new TwilioStyleSmsSender(
            http,
            Microsoft.Extensions.Options.Options.Create(Options(configure)),
            stub.Clock,
            logger ?? (Microsoft.Extensions.Logging.ILogger<TwilioStyleSmsSender>)NullLogger<TwilioStyleSmsSender>.Instance);
        return await sender.SendAsync(message, cancellationToken);
    }

    private TwilioStyleOptions Options(Action<TwilioStyleOptions>? configure)
    {
        var options = new TwilioStyleOptions
        {
            BaseUrl = stub.BaseAddress.ToString(),
            AccountSid = TwilioStub.AccountSid,
            AuthToken = TwilioStub.AuthToken,
            From = TwilioStub.From,
            StatusCallbackUrl = CallbackUrl,
            Timeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        return options;
    }

    private SmsMessage Message(string to, string? clientReference = null, TimeSpan? validFor = null) => new(
        clientReference ?? "ref-" + Guid.NewGuid().ToString("N"),
        "borrower-1",
        to,
        "Your payment of 120.00 EUR was due on 1 March. Reply PAID if settled.",
        "reminder.first",
        new Dictionary<string, string> { ["amount"] = "120.00 EUR" },
        stub.Clock.GetUtcNow() + (validFor ?? TimeSpan.FromHours(4)),
        Transactional: false,
        Tier: "standard");
}
