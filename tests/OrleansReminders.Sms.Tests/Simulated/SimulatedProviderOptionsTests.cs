using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansReminders.Domain.Common;
using OrleansReminders.Sms.Simulated;

namespace OrleansReminders.Sms.Tests.Simulated;

public sealed class SimulatedProviderOptionsTests
{
    public static TheoryData<string, Action<SimulatedProviderOptions>> InvalidOptions => new()
    {
        { "Sms:Simulated:Name", o => o.Name = " " },
        { "Sms:Simulated:FailureRate", o => o.FailureRate = 1.5 },
        { "Sms:Simulated:PermanentFailureRate", o => o.PermanentFailureRate = -0.1 },
        { "Sms:Simulated:ThrottleRate", o => o.ThrottleRate = double.NaN },
        { "Sms:Simulated:DeliveryRate", o => o.DeliveryRate = 2 },
        { "Sms:Simulated:ThrottleRate + Sms:Simulated:FailureRate", o => (o.ThrottleRate, o.FailureRate) = (0.6, 0.6) },
        { "Sms:Simulated:MaxRatePerSecond", o => o.MaxRatePerSecond = 0 },
        { "Sms:Simulated:MinLatency", o => o.MinLatency = TimeSpan.FromMilliseconds(-1) },
        { "Sms:Simulated:MaxLatency", o => (o.MinLatency, o.MaxLatency) = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)) },
        { "Sms:Simulated:MaxReceiptDelay", o => o.MaxReceiptDelay = o.MinReceiptDelay - TimeSpan.FromTicks(1) },
        { "Sms:Simulated:MinReplyDelay", o => o.MinReplyDelay = TimeSpan.FromMinutes(-5) },
        { "Sms:Simulated:MaxPaymentDelay", o => o.MaxPaymentDelay = TimeSpan.Zero },
        { "Sms:Simulated:Borrowers:high:ConfirmRate", o => o.Borrowers["high"].ConfirmRate = 1.01 },
        { "Sms:Simulated:Borrowers:low:PaymentRate", o => o.Borrowers["low"].PaymentRate = -1 },
        { "Sms:Simulated:Borrowers:medium: ConfirmRate + PlanRequestRate + OptOutRate", o => (o.Borrowers["medium"].ConfirmRate, o.Borrowers["medium"].OptOutRate) = (0.7, 0.4) },
        { "Sms:Simulated:Borrowers:critical is not a risk tier", o => o.Borrowers["critical"] = new() },
        { "Sms:Simulated:ConfirmText", o => o.ConfirmText = "yes" },
        { "Sms:Simulated:PlanRequestText", o => o.PlanRequestText = "1" },
        { "Sms:Simulated:OptOutText", o => o.OptOutText = "ok" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void InvalidOptionsThrowNamingTheOption(string option, Action<SimulatedProviderOptions> spoil)
    {
        var options = new SimulatedProviderOptions();
        spoil(options);

        var error = Assert.Throws<OptionsValidationException>(() => Create(options));

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
        Assert.Single(error.Failures);
    }

    [Fact]
    public void TheValidatorReportsEveryProblemAtOnce()
    {
        var options = new SimulatedProviderOptions { FailureRate = 3, MinLatency = TimeSpan.FromDays(1) };

        var result = new SimulatedProviderOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("FailureRate", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("MaxLatency", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDefaultsAreValidAndCoverEveryRiskTier()
    {
        var options = new SimulatedProviderOptions();

        await using var sender = Create(options);

        Assert.Equal("simulated", sender.Name);
        Assert.Equal(
            Enum.GetValues<RiskTier>().Select(t => t.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal),
            options.Borrowers.Keys.Order(StringComparer.Ordinal));
        Assert.True(new SimulatedProviderOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public async Task WithoutASeedARandomOneIsChosenAndLoggedSoTheRunCanBeRepeated()
    {
        var logger = new RecordingLogger<SimulatedSmsSender>();

        await using var sender = new SimulatedSmsSender(Options.Create(new SimulatedProviderOptions { Seed = null }), new RecordingInboundRouter(), logger);
        await using var seeded = Create(new SimulatedProviderOptions { Seed = 12345 });

        Assert.Contains(logger.Entries, e => e.Message.Contains($"seed {sender.Seed}", StringComparison.Ordinal));
        Assert.Equal(12345, seeded.Seed);
    }

    [Fact]
    public void TierKeysDifferingOnlyInCaseAreRejected()
    {
        var options = new SimulatedProviderOptions
        {
            Borrowers = new(StringComparer.Ordinal) { ["high"] = new(), ["High"] = new() },
        };

        var error = Assert.Throws<OptionsValidationException>(() => Create(options));

        Assert.Contains("Sms:Simulated:Borrowers:High appears twice", error.Message, StringComparison.Ordinal);
    }

    private static SimulatedSmsSender Create(SimulatedProviderOptions options) =>
        new(Options.Create(options), new RecordingInboundRouter(), NullLogger<SimulatedSmsSender>.Instance, TimeProvider.System);
}
