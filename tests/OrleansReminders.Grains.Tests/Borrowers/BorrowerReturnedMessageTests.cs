using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;

namespace OrleansReminders.Grains.Tests.Borrowers;

/// <summary>A cluster of its own: these tests move its clock.</summary>
[CollectionDefinition(Name)]
public sealed class ReturnedMessagesCluster : ICollectionFixture<BorrowerClusterFixture>
{
    public const string Name = "Returned messages cluster";
}

/// <summary>Messages that could not leave in their window get the next allowed one; nothing is dropped.</summary>
[Collection(ReturnedMessagesCluster.Name)]
public sealed class BorrowerReturnedMessageTests(BorrowerClusterFixture fixture)
{
    [Fact]
    public async Task AMessageTheDispatcherReturnsIsOfferedAgainUnderTheSameKeyAndCountsOnlyOnceAccepted()
    {
        var (grain, id) = await NewBorrowerInTheMorningAsync(hold: true);
        var offered = Assert.Single(fixture.Dispatcher.For(id));
        var resendsBefore = fixture.Dispatcher.Resends;
        Assert.Equal(0, (await grain.GetStatusAsync())!.Counts.Sent); // with the dispatcher: not sent yet

        var returned = await grain.ReportSendAsync(new SendReport(offered.MessageKey, offered.Offer, SendReportKind.Returned, "send-by passed in the dispatcher queue"));
        var status = await grain.GetStatusAsync();

        // Still morning, so its window is open: offered again at once (offer 2), same idempotency key.
        Assert.Equal("offered", returned.Message);
        Assert.Equal(resendsBefore + 1, fixture.Dispatcher.Resends);
        Assert.Equal(0, status!.Counts.Sent);
        Assert.Equal(1, status.PendingMessages);

        var late = await grain.ReportSendAsync(new SendReport(offered.MessageKey, offered.Offer, SendReportKind.Failed, "a late word on offer 1"));
        var accepted = await grain.ReportSendAsync(new SendReport(offered.MessageKey, 2, SendReportKind.Accepted));
        var again = await grain.ReportSendAsync(new SendReport(offered.MessageKey, 2, SendReportKind.Accepted));
        var history = (await grain.GetRecentHistoryAsync()).Events;
        status = await grain.GetStatusAsync();

        Assert.StartsWith("unchanged", late.Message, StringComparison.Ordinal);
        Assert.Equal("accepted", accepted.Message);
        Assert.StartsWith("unchanged", again.Message, StringComparison.Ordinal);
        Assert.Contains(history, e => e.Kind == "message.returned" && e.Data!["messageKey"] == offered.MessageKey);
        Assert.Single(history, e => e.Kind == "message.sent" && e.Data!["messageKey"] == offered.MessageKey);
        Assert.Equal(1, status!.Counts.Sent);
        Assert.Equal(0, status.PendingMessages);
    }

    [Fact]
    public async Task AnOfferWhoseLeaseRunsOutIsOfferedAgainFlaggedMaybeSent()
    {
        var (grain, id) = await NewBorrowerInTheMorningAsync(hold: true);
        var first = Assert.Single(fixture.Dispatcher.For(id));
        var resendsBefore = fixture.Dispatcher.Resends;

        fixture.Clock.Advance(TimeSpan.FromMinutes(3)); // past the two-minute lease, no word from the dispatcher
        await grain.WakeAsync();
        var history = (await grain.GetRecentHistoryAsync()).Events;

        Assert.Equal(resendsBefore + 1, fixture.Dispatcher.Resends);
        Assert.Contains(history, e => e.Kind == "message.lease-expired" && e.Data!["messageKey"] == first.MessageKey);
        Assert.Equal(1, (await grain.GetStatusAsync())!.PendingMessages);
        Assert.Equal(0, (await grain.GetStatusAsync())!.Counts.Sent);
        Assert.True(fixture.Dispatcher.LastOffer(first.MessageKey) is { Offer: 2, MaybeSent: true });
    }

    [Fact]
    public async Task OnlyAMessageStillWithTheDispatcherCanComeBack()
    {
        var (grain, id) = await NewBorrowerInTheMorningAsync();
        var key = Assert.Single(fixture.Dispatcher.For(id)).MessageKey;
        await grain.HandleDeliveryReceiptAsync(new DeliveryReceipt(key, DeliveryStatus.Delivered, fixture.Clock.GetUtcNow()));

        var late = await grain.ReportSendAsync(new SendReport(key, 1, SendReportKind.Returned, "too late"));
        var unknown = await grain.ReportSendAsync(new SendReport(id + ":9:L9", 1, SendReportKind.Returned, "never existed"));

        Assert.StartsWith("unchanged", late.Message, StringComparison.Ordinal);
        Assert.Equal(CommandOutcome.NotFound, unknown.Outcome);
        Assert.Equal(1, (await grain.GetStatusAsync())!.Counts.Delivered);
    }

    [Fact]
    public async Task AMessageHeldInTheOutboxPastItsWindowGetsTheNextWindowInsteadOfBeingDropped()
    {
        var id = "held-" + Guid.NewGuid().ToString("N")[..10];
        fixture.Dispatcher.Override = m => m.BorrowerId == id
            ? new DispatchResult(DispatchOutcome.Deferred, fixture.Clock.GetUtcNow().AddDays(3), "queue full")
            : null;
        try
        {
            var (grain, _) = await NewBorrowerInTheMorningAsync(id);
            Assert.Empty(fixture.Dispatcher.For(id));
            var held = await grain.GetStatusAsync();
            Assert.Equal(1, held!.PendingMessages);

            // Two days later the dispatcher takes messages again; the held one's window closed long ago.
            fixture.Dispatcher.Override = null;
            fixture.Clock.Advance(TimeSpan.FromDays(2));
            await grain.WakeAsync();
            var history = (await grain.GetRecentHistoryAsync()).Events;

            Assert.Contains(history, e => e.Kind == "message.rescheduled");
            Assert.DoesNotContain(history, e => e.Kind == "message.expired");
            Assert.Contains(history, e => e.Kind == "message.deferred");
        }
        finally
        {
            fixture.Dispatcher.Override = null;
        }
    }

    private async Task<(IBorrowerGrain Grain, string Id)> NewBorrowerInTheMorningAsync(string? id = null, bool hold = false)
    {
        id ??= (hold ? "hold-" : "ret-") + Guid.NewGuid().ToString("N")[..10];
        fixture.Dispatcher.Hold = m => m.BorrowerId.StartsWith("hold-", StringComparison.Ordinal);
        var grain = fixture.Grains.GetGrain<IBorrowerGrain>(id);
        var now = fixture.Clock.GetUtcNow();
        await grain.UpsertAsync(new BorrowerUpsert("+8613812345678", "zh-CN", [TestZones.WhereItIsMorning(now)], "CN",
            [new DebtInput("loan-1", 1500m, "CNY", DateOnly.FromDateTime(now.UtcDateTime).AddDays(-2))]));
        return (grain, id);
    }
}
