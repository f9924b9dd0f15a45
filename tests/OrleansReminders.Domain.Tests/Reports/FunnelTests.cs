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
        Assert.Equal(new FunnelRow(new("high", "L0", "gentle"), Sent: 2, Delivered: 1, Tasks: 0, Contacted: 2, Replied: 1, OptedOut: 1, Paid: 0), rows["L0"]);
        Assert.Equal(new FunnelRow(new("high", "L3", "gentle"), Sent: 1, Delivered: 1, Tasks: 0, Contacted: 1, Replied: 1, OptedOut: 0, Paid: 1), rows["L3"]);
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
        Assert.Equal(2, Funnel.Total(events).Contacted);
        Assert.Null(Funnel.By(FunnelGrouping.TierStageVariant));
    }

    [Fact]
    public void CallTasksAndAgencyHandOffsCountAsTasksNeverAsSmsSentOrDelivered()
    {
        var events = new List<FunnelEvent>();
        events.AddRange(Message("b1", "L3", 0, delivered: true));
        // The call task and the agency hand-off are handed over and even get a receipt (the simulated provider gives one).
        events.AddRange(Message("b1", "E0", 2, delivered: true, channel: "call"));
        events.Add(new("b1", T0.AddDays(3), "reply.planrequest", null, null));
        events.AddRange(Message("b1", "E1", 16, delivered: true, channel: "agency"));
        events.Add(new("b1", T0.AddDays(17), "payment.full", null, null));
        // A queued task never handed over counts nowhere.
        events.Add(new("b2", T0, "message.queued", "E0", new Dictionary<string, string> { ["messageKey"] = "b2:1:E0", ["tier"] = "high" }, "call"));

        var rows = Funnel.Build(events).ToDictionary(r => r.Key.Stage);
        var total = Funnel.Total(events);

        Assert.Equal(new FunnelRow(new("high", "L3", "gentle"), Sent: 1, Delivered: 1, Tasks: 0, Contacted: 1, Replied: 0, OptedOut: 0, Paid: 0), rows["L3"]);
        Assert.Equal(new FunnelRow(new("high", "E0", "gentle"), Sent: 0, Delivered: 0, Tasks: 1, Contacted: 1, Replied: 1, OptedOut: 0, Paid: 0), rows["E0"]);
        Assert.Equal(new FunnelRow(new("high", "E1", "gentle"), Sent: 0, Delivered: 0, Tasks: 1, Contacted: 1, Replied: 0, OptedOut: 0, Paid: 1), rows["E1"]);
        Assert.Equal(new FunnelRow(Funnel.AllKey, Sent: 1, Delivered: 1, Tasks: 2, Contacted: 1, Replied: 1, OptedOut: 0, Paid: 1), total);
        Assert.True(Funnel.IsTask("Call") && Funnel.IsTask("agency") && !Funnel.IsTask("sms") && !Funnel.IsTask(null));
    }

    [Fact]
    public void TheTotalAddsUpTheRowsAndCountsEachContactedBorrowerOnce()
    {
        // b1 at two stages, b2 at one, b3 only queued (never handed over), b4 only a transactional message.
        var events = Message("b1", "L0", 0, true).Concat(Message("b1", "L3", 1, false)).Concat(Message("b2", "L0", 0, true)).ToList();
        events.Add(new("b1", T0.AddDays(2), "payment.full", null, null));
        events.Add(new("b2", T0.AddHours(5), "reply.optout", null, null));
        events.Add(new("b3", T0, "message.queued", "L0", new Dictionary<string, string> { ["messageKey"] = "b3:1:L0", ["tier"] = "low" }, "sms"));
        events.Add(new("b4", T0, "message.queued", "thanks.payment", Data("b4:1:thanks.payment"), "sms"));
        events.Add(new("b4", T0, "message.sent", "thanks.payment", Data("b4:1:thanks.payment"), "sms"));

        var rows = Funnel.Build(events);
        var total = Funnel.Total(events);

        Assert.Equal(new FunnelRow(Funnel.AllKey, Sent: 3, Delivered: 2, Tasks: 0, Contacted: 2, Replied: 1, OptedOut: 1, Paid: 1), total);
        Assert.Equal(3, rows.Sum(r => r.Contacted));
        Assert.Equal(0.5, total.Conversion);
        Assert.Equal(new FunnelRow(Funnel.AllKey, 0, 0, 0, 0, 0, 0, 0), Funnel.Total([]));
    }

    /// <summary>
    /// For random histories (several borrowers, stages, channels, resends, receipts, replies, payments, transactional
    /// messages), under every grouping: the all row's additive columns are the sums of the rows, and its contacted count
    /// is the number of distinct borrowers with a contact handed over, at most the rows' sum.
    /// </summary>
    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool TheTotalIsTheRowsComputationWithEveryContactInOneGroup(int seed)
    {
        var events = RandomHistories(new Random(seed));
        var total = Funnel.Total(events);
        var contacted = events.Where(e => e.Kind == "message.sent" && events.Any(q => q.Kind == "message.queued" && q.Data?.ContainsKey("tier") == true
            && q.Data["messageKey"] == e.Data!["messageKey"])).Select(e => e.BorrowerId).Distinct().Count();
        return new[] { FunnelGrouping.TierStageVariant, FunnelGrouping.Hour, FunnelGrouping.Weekday }.All(grouping =>
        {
            var rows = Funnel.Build(events, Funnel.By(grouping));
            return total.Sent == rows.Sum(r => r.Sent) && total.Delivered == rows.Sum(r => r.Delivered) && total.Tasks == rows.Sum(r => r.Tasks)
                && total.Replied == rows.Sum(r => r.Replied) && total.OptedOut == rows.Sum(r => r.OptedOut) && total.Paid == rows.Sum(r => r.Paid)
                && total.Contacted == contacted && total.Contacted <= rows.Sum(r => r.Contacted) && total.Paid <= total.Contacted;
        });
    }

    private static List<FunnelEvent> RandomHistories(Random random)
    {
        string[] stages = ["L0", "L2", "L3", "E0", "E1"];
        string[] replies = ["reply.confirm", "reply.optout", "reply.planrequest"];
        var events = new List<FunnelEvent>();
        for (var b = 0; b < 4; b++)
        {
            var borrower = "b" + b;
            var at = T0.AddHours(random.Next(48));
            for (var i = 0; i < random.Next(1, 10); i++)
            {
                at = at.AddHours(random.Next(1, 30));
                switch (random.Next(6))
                {
                    case < 3:
                        var stage = stages[random.Next(stages.Length)];
                        var channel = stage == "E0" ? "call" : stage == "E1" ? "agency" : "sms";
                        var key = $"{borrower}:{i}:{stage}";
                        var data = new Dictionary<string, string> { ["messageKey"] = key, ["tier"] = random.Next(2) == 0 ? "low" : "high", ["variant"] = "default" };
                        events.Add(new(borrower, at, "message.queued", stage, data, channel));
                        for (var sent = random.Next(3); sent > 0; sent--)
                        {
                            events.Add(new(borrower, at.AddMinutes(sent), "message.sent", stage, Data(key), channel));
                        }

                        if (random.Next(2) == 0)
                        {
                            events.Add(new(borrower, at.AddMinutes(5), "message.delivered", stage, Data(key), channel));
                        }

                        break;
                    case 3:
                        events.Add(new(borrower, at, replies[random.Next(replies.Length)], null, null));
                        break;
                    case 4:
                        events.Add(new(borrower, at, "payment.full", null, null));
                        break;
                    default:
                        events.Add(new(borrower, at, "message.queued", "thanks.payment", Data($"{borrower}:{i}:thanks"), "sms"));
                        events.Add(new(borrower, at.AddMinutes(1), "message.sent", "thanks.payment", Data($"{borrower}:{i}:thanks"), "sms"));
                        break;
                }
            }
        }

        return events;
    }

    private static IEnumerable<FunnelEvent> Message(string borrower, string stage, int day, bool delivered, string channel = "sms")
    {
        var key = $"{borrower}:1:{stage}";
        var at = T0.AddDays(day);
        yield return new(borrower, at, "message.queued", stage,
            new Dictionary<string, string> { ["messageKey"] = key, ["tier"] = "high", ["variant"] = "gentle" }, channel);
        yield return new(borrower, at.AddSeconds(1), "message.sent", stage, Data(key), channel);
        if (delivered)
        {
            yield return new(borrower, at.AddMinutes(1), "message.delivered", stage, Data(key), channel);
        }
    }

    private static Dictionary<string, string> Data(string key) => new() { ["messageKey"] = key };
}
