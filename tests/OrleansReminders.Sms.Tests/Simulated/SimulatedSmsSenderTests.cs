using Microsoft.Extensions.Logging;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Grains.Messaging;
using static OrleansReminders.Sms.Tests.Simulated.SimulatedProviderHarness;

namespace OrleansReminders.Sms.Tests.Simulated;

public sealed class SimulatedSmsSenderTests
{
    [Fact]
    public async Task WithRatesZeroEverySendIsAcceptedAndDeliveredOnlyAfterTheReceiptDelay()
    {
        await using var sim = new SimulatedProviderHarness();

        var results = await sim.SendAsync(20);

        Assert.All(results, r => Assert.Equal(SmsSendStatus.Accepted, r.Status));
        Assert.Equal(20, results.Select(r => r.ProviderMessageId).Distinct().Count());
        sim.Time.Advance(ReceiptDelay - TimeSpan.FromTicks(1));
        Assert.Empty(sim.Router.Events);
        Assert.Equal(20, sim.Sender.PendingCallbacks);

        await sim.AdvanceAndDrainAsync(TimeSpan.FromTicks(1));

        Assert.Equal(20, sim.Router.Receipts.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => Message(i).ClientReference), sim.Router.Receipts.Select(r => r.ClientReference).Order());
        Assert.All(sim.Router.Receipts, r => Assert.Equal((DeliveryStatus?)DeliveryStatus.Delivered, r.Status));
        Assert.All(sim.Router.Receipts, r => Assert.Equal(Start + ReceiptDelay, r.At));
        Assert.Equal(new(20, 0, 0, 20, 0, 0, 0, 0), sim.Sender.Counters);
        Assert.Equal(0, sim.Sender.PendingCallbacks);
    }

    [Fact]
    public async Task TheProviderAnswersByClientReferenceWhetherItAcceptedAMessageAndCountsEachAcceptance()
    {
        await using var sim = new SimulatedProviderHarness();
        await sim.SendAsync(3);
        await sim.Sender.SendAsync(Message(1));

        Assert.True(await sim.Sender.WasAcceptedAsync(Message(0).ClientReference));
        Assert.False(await sim.Sender.WasAcceptedAsync(Message(7).ClientReference));
        Assert.Equal(2, sim.Sender.AcceptedByReference[Message(1).ClientReference]);
        Assert.Equal(1, sim.Sender.AcceptedByReference[Message(2).ClientReference]);
    }

    [Fact]
    public async Task ARefusedMessageIsNotOneTheProviderAccepted()
    {
        await using var sim = new SimulatedProviderHarness(o => o.FailureRate = 1);
        await sim.SendAsync(1);

        Assert.False(await sim.Sender.WasAcceptedAsync(Message(0).ClientReference));
        Assert.Empty(sim.Sender.AcceptedByReference);
    }

    [Fact]
    public async Task WithFailureRateOneEverySendIsTransientAndNothingComesBack()
    {
        await using var sim = new SimulatedProviderHarness(o => o.FailureRate = 1);

        var results = await sim.SendAsync(50);

        Assert.All(results, r => Assert.Equal(SmsSendStatus.Transient, r.Status));
        await sim.AdvanceAndDrainAsync(TimeSpan.FromDays(1));
        Assert.Empty(sim.Router.Events);
        Assert.Equal(50, sim.Sender.Counters.Failed);
        Assert.Equal(0, sim.Sender.Counters.Sent);
    }

    [Fact]
    public async Task AnInvalidNumberFailsPermanentlyOnEveryAttemptAndIsLoggedMasked()
    {
        await using var sim = new SimulatedProviderHarness(o => o.PermanentFailureRate = 1);
        var message = Message(7);

        var first = await sim.Sender.SendAsync(message);
        var retry = await sim.Sender.SendAsync(message);

        Assert.Equal(SmsSendStatus.Permanent, first.Status);
        Assert.Equal(SmsSendStatus.Permanent, retry.Status);
        Assert.Equal("SIM-INVALID-NUMBER", first.Code);
        Assert.Equal(2, sim.Sender.Counters.Failed);
        var refusals = sim.Logger.Entries.Where(e => e.Message.Contains(message.ClientReference, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, refusals.Count);
        Assert.All(refusals, e => Assert.Contains(message.To[^4..], e.Message, StringComparison.Ordinal));
        Assert.All(sim.Logger.Entries, e => Assert.DoesNotContain(message.To[4..], e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AboveMaxRatePerSecondTheProviderThrottlesUntilTheNextSecond()
    {
        await using var sim = new SimulatedProviderHarness(o => o.MaxRatePerSecond = 5);
        sim.Time.Advance(TimeSpan.FromMilliseconds(300));

        var burst = await sim.SendAsync(6);

        Assert.All(burst.Take(5), r => Assert.Equal(SmsSendStatus.Accepted, r.Status));
        Assert.Equal(SmsSendStatus.Throttled, burst[5].Status);
        Assert.Equal(TimeSpan.FromMilliseconds(700), burst[5].RetryAfter);
        sim.Time.Advance(TimeSpan.FromMilliseconds(699));
        Assert.Equal(SmsSendStatus.Throttled, (await sim.Sender.SendAsync(Message(6))).Status);

        sim.Time.Advance(TimeSpan.FromSeconds(1));
        var next = await sim.SendAsync(5);

        Assert.All(next, r => Assert.Equal(SmsSendStatus.Accepted, r.Status));
        Assert.Equal(SmsSendStatus.Throttled, (await sim.Sender.SendAsync(Message(99))).Status);
        Assert.Equal(10, sim.Sender.Counters.Sent);
        Assert.Equal(3, sim.Sender.Counters.Throttled);
    }

    [Fact]
    public async Task WithThrottleRateOneEverySendIsThrottledWithARetryAfter()
    {
        await using var sim = new SimulatedProviderHarness(o => o.ThrottleRate = 1);

        var results = await sim.SendAsync(10);

        Assert.All(results, r => Assert.Equal(SmsSendStatus.Throttled, r.Status));
        Assert.All(results, r => Assert.Equal(TimeSpan.FromSeconds(1), r.RetryAfter));
    }

    [Fact]
    public async Task ASendTakesItsLatencyOnTheInjectedClock()
    {
        var latency = TimeSpan.FromMilliseconds(250);
        await using var sim = new SimulatedProviderHarness(o => (o.MinLatency, o.MaxLatency) = (latency, latency));

        var send = sim.Sender.SendAsync(Message(1));
        sim.Time.Advance(latency - TimeSpan.FromTicks(1));
        Assert.False(send.IsCompleted);
        sim.Time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(SmsSendStatus.Accepted, (await send.WaitAsync(TimeSpan.FromSeconds(5))).Status);
        await sim.AdvanceAndDrainAsync(ReceiptDelay);
        Assert.Equal(Start + latency + ReceiptDelay, Assert.Single(sim.Router.Receipts).At);
    }

    [Fact]
    public async Task UndeliveredMessagesGetAFailedOrUndeliverableReceiptWithAProviderCode()
    {
        await using var sim = new SimulatedProviderHarness(o => o.DeliveryRate = 0);

        await sim.SendAsync(40);
        await sim.AdvanceAndDrainAsync(ReceiptDelay);

        Assert.Equal(40, sim.Router.Receipts.Count);
        Assert.All(sim.Router.Receipts, r => Assert.Contains(r.Status, new DeliveryStatus?[] { DeliveryStatus.Failed, DeliveryStatus.Undeliverable }));
        Assert.All(sim.Router.Receipts, r => Assert.False(string.IsNullOrEmpty(r.Code)));
        Assert.Contains(sim.Router.Receipts, r => r.Status == DeliveryStatus.Failed);
        Assert.Contains(sim.Router.Receipts, r => r.Status == DeliveryStatus.Undeliverable);
        Assert.Equal(40, sim.Sender.Counters.ReceiptsFailed);
    }

    [Fact]
    public async Task AMessageWhoseValidityEndsBeforeDeliveryExpiresAtTheEndOfItsValidity()
    {
        await using var sim = new SimulatedProviderHarness(o => o.Borrowers["high"].ConfirmRate = 1);
        var validUntil = Start + TimeSpan.FromSeconds(4);

        await sim.Sender.SendAsync(Message(1) with { ValidUntil = validUntil });
        await sim.AdvanceAndDrainAsync(TimeSpan.FromDays(1));

        var receipt = Assert.Single(sim.Router.Events);
        Assert.Equal((DeliveryStatus?)DeliveryStatus.Failed, receipt.Status);
        Assert.Equal("SIM-EXPIRED", receipt.Code);
        Assert.Equal(validUntil, receipt.At);
    }

    [Fact]
    public async Task RouterFailuresAreLoggedAndLaterCallbacksStillRun()
    {
        await using var sim = new SimulatedProviderHarness(o => (o.Borrowers["high"].ConfirmRate, o.Borrowers["high"].PaymentRate, o.CallbackAttempts) = (1, 1, 1));
        sim.Router.FailWhen = e => e.Kind == InboundKind.Receipt;

        await sim.SendAsync(3);
        await sim.AdvanceAndDrainAsync(TimeSpan.FromDays(1));

        Assert.Empty(sim.Router.Receipts);
        Assert.Equal(3, sim.Router.Replies.Count);
        Assert.Equal(3, sim.Router.Payments.Count);
        Assert.Equal(3, sim.Sender.Counters.CallbackErrors);
        Assert.Equal(3, sim.Logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Exception is InvalidOperationException));
        Assert.Equal(SmsSendStatus.Accepted, (await sim.Sender.SendAsync(Message(10))).Status);
    }

    [Fact]
    public async Task ACallbackTheServiceRefusesIsOfferedAgainUntilItIsTakenOnce()
    {
        await using var sim = new SimulatedProviderHarness(o => (o.CallbackAttempts, o.CallbackRetryBase) = (5, TimeSpan.FromMilliseconds(10)));
        var refusals = 0;
        sim.Router.FailWhen = e => e.Kind == InboundKind.Receipt && Interlocked.Increment(ref refusals) <= 6; // storage down for a while

        await sim.SendAsync(3);
        await sim.AdvanceAndDrainAsync(TimeSpan.FromDays(1));

        Assert.Equal(3, sim.Router.Receipts.Count);
        Assert.Equal(3, sim.Router.Receipts.Select(r => r.ClientReference).Distinct().Count());
        Assert.Equal((0L, 6L), (sim.Sender.Counters.CallbackErrors, sim.Sender.Counters.CallbackRetries));
    }

    [Fact]
    public async Task WithAJournalEveryAcceptedSendIsAppendedWithItsReference()
    {
        var path = Path.Combine(Path.GetTempPath(), "sim-journal-" + Guid.NewGuid().ToString("N"));
        var file = $"{path}.{Environment.ProcessId}";
        try
        {
            await using (var sim = new SimulatedProviderHarness(o => (o.JournalPath, o.FailureRate, o.PermanentFailureRate) = (path, 0, 0)))
            {
                await sim.SendAsync(3);
            }

            var lines = await File.ReadAllLinesAsync(file);
            Assert.Equal(3, lines.Length);
            Assert.All(lines, l => Assert.Matches(@"^\d{13} \S+$", l));
            Assert.Equal(3, lines.Select(l => l.Split(' ')[1]).Distinct().Count());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task DisposingDropsPendingCallbacksAndRefusesSends()
    {
        var sim = new SimulatedProviderHarness();
        await sim.SendAsync(5);

        await sim.DisposeAsync();
        sim.Time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(0, sim.Sender.PendingCallbacks);
        Assert.Empty(sim.Router.Events);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sim.Sender.SendAsync(Message(9)));
    }

    [Fact]
    public async Task CallbacksNeverRunInsideTheSendCall()
    {
        await using var sim = new SimulatedProviderHarness(o => (o.MinReceiptDelay, o.MaxReceiptDelay) = (TimeSpan.Zero, TimeSpan.Zero));
        using var insideSend = new ThreadLocal<bool>();
        var ranInsideSend = false;
        sim.Router.FailWhen = _ =>
        {
            ranInsideSend |= insideSend.Value;
            return false;
        };

        insideSend.Value = true;
        var send = sim.Sender.SendAsync(Message(1));
        insideSend.Value = false;
        await send;
        await sim.Sender.DrainAsync().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Single(sim.Router.Receipts);
        Assert.False(ranInsideSend);
    }
}
