using OrleansReminders.Domain.Reports;

namespace OrleansReminders.Domain.Tests.Reports;

public sealed class FunnelTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RepliesOptOutsAndPaymentsAreCreditedToTheLastCollectionMessageBeforeThem()
    {
        var events = new List<FunnelEvent>();
        // b1: L0 delivered, no reaction; L3 delivered, replies twice, then pays.
        events.AddRange(Message("b1", "L0", 0, delivered: true));
        events.AddRange(Message("b1", "L3", 1, delivered: true));
        events.Add(new("b1", T0.AddHours(30), "reply.confirm", null, null));
        events.Add(new("b1", T0.AddHours(31), "reply.planrequest", null, null));
        events.Add(new("b1", T0.AddHours(40), "payment.full", null, null));
        // b2: L0 sent twice under the same key (a resend), never delivered, opts out.
        events.AddRange(Message("b2", "L0", 0, delivered: false));
        events.Add(new("b2", T0.AddHours(2), "message.sent", "L0", Data("b2:1:L0")));
        events.Add(new("b2", T0.AddHours(3), "reply.optout", null, null));
        // A transactional thank-you and a payment before any message do not count.
        events.Add(new("b3", T0, "payment.full", null, null));
        events.Add(new("b3", T0, "message.queued", "thanks.payment", Data("b3:1:thanks.payment")));
        events.Add(new("b3", T0, "message.sent", "thanks.payment", Data("b3:1:thanks.payment")));

        var rows = Funnel.Build(events).ToDictionary(r => r.Key.Stage);

        Assert.Equal(2, rows.Count);
        Assert.Equal(new FunnelRow(new("high", "L0", "gentle"), Sent: 2, Delivered: 1, Contacted: 2, Replied: 1, OptedOut: 1, Paid: 0), rows["L0"]);
        Assert.Equal(new FunnelRow(new("high", "L3", "gentle"), Sent: 1, Delivered: 1, Contacted: 1, Replied: 1, OptedOut: 0, Paid: 1), rows["L3"]);
        Assert.Equal(1.0, rows["L3"].Conversion);
        Assert.Equal(0.0, rows["L0"].Conversion);
    }

    [Fact]
    public void RowsComeInTierThenLadderThenEscalationOrder()
    {
        var events = Message("b1", "E0", 5, true).Concat(Message("b1", "L10", 3, true)).Concat(Message("b1", "L2", 1, true));

        Assert.Equal(["L2", "L10", "E0"], Funnel.Build(events).Select(r => r.Key.Stage));
    }

    [Fact]
    public void ByHourGroupsMessagesByTheUtcHourTheyWereQueuedAndContactedBorrowersCountOnce()
    {
        var events = Message("b1", "L0", 0, true).Concat(Message("b1", "L3", 1, true)).Concat(Message("b2", "L0", 0, false)).ToList();

        var rows = Funnel.Build(events, Funnel.By(FunnelGrouping.Hour));

        var row = Assert.Single(rows);
        Assert.Equal(new FunnelKey("high", "01h", "all"), row.Key);
        Assert.Equal(3, row.Sent);
        Assert.Equal(2, Funnel.ContactedBorrowers(events));
        Assert.Null(Funnel.By(FunnelGrouping.TierStageVariant));
    }

    private static IEnumerable<FunnelEvent> Message(string borrower, string stage, int day, bool delivered)
    {
        var key = $"{borrower}:1:{stage}";
        var at = T0.AddDays(day);
        yield return new(borrower, at, "message.queued", stage,
            new Dictionary<string, string> { ["messageKey"] = key, ["tier"] = "high", ["variant"] = "gentle" });
        yield return new(borrower, at.AddSeconds(1), "message.sent", stage, Data(key));
        if (delivered)
        {
            yield return new(borrower, at.AddMinutes(1), "message.delivered", stage, Data(key));
        }
    }

    private static Dictionary<string, string> Data(string key) => new() { ["messageKey"] = key };
}
