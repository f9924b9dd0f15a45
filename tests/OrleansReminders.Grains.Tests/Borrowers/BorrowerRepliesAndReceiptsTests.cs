using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Grains.Tests.Borrowers;

[Collection(BorrowerCluster.Name)]
public sealed class BorrowerRepliesAndReceiptsTests(BorrowerClusterFixture fixture)
{
    [Fact]
    public async Task ReceiptsOnlyMoveForwardAndDuplicatesAreHarmless()
    {
        var (grain, key) = await BorrowerWithOneSentMessage();
        var at = fixture.Clock.GetUtcNow();

        await grain.HandleDeliveryReceiptAsync(new DeliveryReceipt(key, DeliveryStatus.Delivered, at));
        var late = await grain.HandleDeliveryReceiptAsync(new DeliveryReceipt(key, DeliveryStatus.Sent, at));
        var duplicate = await grain.HandleDeliveryReceiptAsync(new DeliveryReceipt(key, DeliveryStatus.Delivered, at));
        var failedAfterDelivered = await grain.HandleDeliveryReceiptAsync(new DeliveryReceipt(key, DeliveryStatus.Failed, at));
        var unknown = await grain.HandleDeliveryReceiptAsync(new DeliveryReceipt("nope", DeliveryStatus.Delivered, at));
        var status = await grain.GetStatusAsync();

        Assert.Equal(1, status!.Counts.Delivered);
        Assert.Equal(0, status.Counts.Failed);
        Assert.StartsWith("status unchanged", late.Message, StringComparison.Ordinal);
        Assert.StartsWith("status unchanged", duplicate.Message, StringComparison.Ordinal);
        Assert.StartsWith("status unchanged", failedAfterDelivered.Message, StringComparison.Ordinal);
        Assert.Equal(CommandOutcome.NotFound, unknown.Outcome);
    }

    [Fact]
    public async Task ConfirmingResetsTheUnansweredCount()
    {
        var (grain, _) = await BorrowerWithOneSentMessage();
        await grain.ReassignEscalationAsync(new EscalationReassignment(0, "ops", "keep on ladder"));

        var reply = await grain.HandleReplyAsync(new InboundReply("r1", "１", fixture.Clock.GetUtcNow()));
        var status = await grain.GetStatusAsync();

        Assert.Equal("Confirm", reply.Message);
        Assert.Equal(0, status!.Counts.ConsecutiveUnanswered);
        Assert.Equal(1, status.Counts.Replies);
    }

    [Fact]
    public async Task PlanRequestOpensAPlanOffer()
    {
        var (grain, _) = await BorrowerWithOneSentMessage();

        var reply = await grain.HandleReplyAsync(new InboundReply("r1", "我想分期", fixture.Clock.GetUtcNow()));

        Assert.Equal("PlanRequest", reply.Message);
        Assert.Contains("plan-offer-open", (await grain.GetStatusAsync())!.Flags);
    }

    [Fact]
    public async Task ClaimsPaidPausesForVerification()
    {
        var (grain, _) = await BorrowerWithOneSentMessage();

        await grain.HandleReplyAsync(new InboundReply("r1", "已还", fixture.Clock.GetUtcNow()));
        var status = await grain.GetStatusAsync();

        Assert.Equal("paused", status!.Stage);
        Assert.Null(status.NextActionAt);
    }

    [Fact]
    public async Task AComplaintFlagsForReviewAndStopsCollection()
    {
        var (grain, _) = await BorrowerWithOneSentMessage();

        await grain.HandleReplyAsync(new InboundReply("r1", "我要投诉", fixture.Clock.GetUtcNow()));
        var status = await grain.GetStatusAsync();

        Assert.Contains("complaint", status!.Flags);
        Assert.Null(status.NextActionAt);
    }

    [Fact]
    public async Task TheSameReplyDeliveredTwiceIsHandledOnce()
    {
        var (grain, _) = await BorrowerWithOneSentMessage();
        var reply = new InboundReply("r-dup", "1", fixture.Clock.GetUtcNow());

        await grain.HandleReplyAsync(reply);
        var again = await grain.HandleReplyAsync(reply);

        Assert.Equal("reply already handled", again.Message);
        Assert.Equal(1, (await grain.GetStatusAsync())!.Counts.Replies);
    }

    private async Task<(IBorrowerGrain Grain, string MessageKey)> BorrowerWithOneSentMessage()
    {
        var id = "rr-" + Guid.NewGuid().ToString("N")[..10];
        var grain = fixture.Grains.GetGrain<IBorrowerGrain>(id);
        var now = fixture.Clock.GetUtcNow();
        var zone = TestZones.WhereItIsMorning(now);
        await grain.UpsertAsync(new BorrowerUpsert("+8613812345678", "zh-CN", [zone], "CN",
            [new DebtInput("loan-1", 1500m, "CNY", DateOnly.FromDateTime(now.UtcDateTime).AddDays(-2))]));
        var message = Assert.Single(fixture.Dispatcher.For(id));
        return (grain, message.MessageKey);
    }
}
