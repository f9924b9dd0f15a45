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
    public async Task AMessageTheDispatcherReturnsIsRescheduledAndOfferedAgainUnderTheSameKey()
    {
        var (grain, id) = await NewBorrowerInTheMorningAsync();
        var key = Assert.Single(fixture.Dispatcher.For(id)).MessageKey;
        var resendsBefore = fixture.Dispatcher.Resends;

        var returned = await grain.ReturnUnsentAsync(new UnsentMessage(key, "send-by passed in the dispatcher queue"));
        var history = (await grain.GetRecentHistoryAsync()).Events;
        var status = await grain.GetStatusAsync();

        Assert.Equal("rescheduled", returned.Message);
        // Still morning, so the next allowed instant is now: offered again at once, same idempotency key.
        Assert.Equal(resendsBefore + 1, fixture.Dispatcher.Resends);
        Assert.Contains(history, e => e.Kind == "message.rescheduled" && e.Data!["messageKey"] == key);
        Assert.Equal(2, history.Count(e => e.Kind == "message.sent" && e.Data!["messageKey"] == key));
        Assert.Equal(1, status!.Counts.Sent);
        Assert.Equal(0, status.PendingMessages);
    }

    [Fact]
    public async Task OnlyAMessageStillWithTheDispatcherCanComeBack()
    {
        var (grain, id) = await NewBorrowerInTheMorningAsync();
        var key = Assert.Single(fixture.Dispatcher.For(id)).MessageKey;
        await grain.HandleDeliveryReceiptAsync(new DeliveryReceipt(key, DeliveryStatus.Delivered, fixture.Clock.GetUtcNow()));

        var late = await grain.ReturnUnsentAsync(new UnsentMessage(key, "too late"));
        var unknown = await grain.ReturnUnsentAsync(new UnsentMessage(id + ":9:L9", "never existed"));

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

    private async Task<(IBorrowerGrain Grain, string Id)> NewBorrowerInTheMorningAsync(string? id = null)
    {
        id ??= "ret-" + Guid.NewGuid().ToString("N")[..10];
        var grain = fixture.Grains.GetGrain<IBorrowerGrain>(id);
        var now = fixture.Clock.GetUtcNow();
        await grain.UpsertAsync(new BorrowerUpsert("+8613812345678", "zh-CN", [TestZones.WhereItIsMorning(now)], "CN",
            [new DebtInput("loan-1", 1500m, "CNY", DateOnly.FromDateTime(now.UtcDateTime).AddDays(-2))]));
        return (grain, id);
    }
}
