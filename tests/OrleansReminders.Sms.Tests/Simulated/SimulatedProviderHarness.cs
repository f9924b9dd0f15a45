using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrleansReminders.Grains.Messaging;
using OrleansReminders.Sms.Simulated;

namespace OrleansReminders.Sms.Tests.Simulated;

/// <summary>
/// One simulated provider on a fake clock with a recording router and logger. The options start "quiet":
/// no latency, no failures, every message delivered after exactly <see cref="ReceiptDelay"/>, borrowers who
/// never react, a fixed seed; each test changes only what it is about.
/// </summary>
internal sealed class SimulatedProviderHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan ReceiptDelay = TimeSpan.FromSeconds(10);

    public SimulatedProviderHarness(Action<SimulatedProviderOptions>? configure = null)
    {
        var options = Quiet();
        configure?.Invoke(options);
        Sender = new SimulatedSmsSender(Options.Create(options), Router, Logger, Time);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public RecordingInboundRouter Router { get; } = new();

    public RecordingLogger<SimulatedSmsSender> Logger { get; } = new();

    public SimulatedSmsSender Sender { get; }

    public static SimulatedProviderOptions Quiet()
    {
        var options = new SimulatedProviderOptions
        {
            Name = "sim-test",
            MinLatency = TimeSpan.Zero,
            MaxLatency = TimeSpan.Zero,
            FailureRate = 0,
            PermanentFailureRate = 0,
            ThrottleRate = 0,
            MinReceiptDelay = ReceiptDelay,
            MaxReceiptDelay = ReceiptDelay,
            DeliveryRate = 1,
            MinReplyDelay = TimeSpan.FromMinutes(1),
            MaxReplyDelay = TimeSpan.FromMinutes(30),
            MinPaymentDelay = TimeSpan.FromMinutes(10),
            MaxPaymentDelay = TimeSpan.FromHours(1),
            Seed = 20250310,
        };
        foreach (var borrower in options.Borrowers.Values)
        {
            borrower.ConfirmRate = borrower.PlanRequestRate = borrower.OptOutRate = borrower.PaymentRate = 0;
        }

        return options;
    }

    public static SmsMessage Message(int i, string tier = "high", bool transactional = false) => new(
        $"msg-{i:D4}",
        $"borrower-{i:D4}",
        $"+86138{i:D8}",
        "Acme Finance: 100.00 CNY is overdue. Reply 1 to confirm, 2 for a plan, TD to opt out.",
        "overdue-d3/high/zh-CN/a",
        new Dictionary<string, string> { ["amount"] = "100.00" },
        Start.AddDays(1),
        transactional,
        tier);

    /// <summary>Sends messages 0..count-1 one after the other and returns the answers.</summary>
    public async Task<IReadOnlyList<SmsSendResult>> SendAsync(int count, string tier = "high", bool transactional = false)
    {
        var results = new List<SmsSendResult>(count);
        for (var i = 0; i < count; i++)
        {
            results.Add(await Sender.SendAsync(Message(i, tier, transactional)));
        }

        return results;
    }

    /// <summary>Moves the fake clock by <paramref name="by"/> (past every planned callback) and waits, bounded, until all have been routed.</summary>
    public async Task AdvanceAndDrainAsync(TimeSpan by)
    {
        Time.Advance(by);
        await Sender.DrainAsync().WaitAsync(TimeSpan.FromSeconds(5));
    }

    public ValueTask DisposeAsync() => Sender.DisposeAsync();
}
