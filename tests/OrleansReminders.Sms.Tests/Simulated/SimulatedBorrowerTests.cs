using OrleansReminders.Domain.Replies;
using OrleansReminders.Sms.Simulated;
using static OrleansReminders.Sms.Tests.Simulated.SimulatedProviderHarness;

namespace OrleansReminders.Sms.Tests.Simulated;

public sealed class SimulatedBorrowerTests
{
    private static readonly TimeSpan PastEverything = TimeSpan.FromDays(3);

    [Fact]
    public async Task ASeededRunOfHighTierMessagesRepliesAtTheConfiguredRate()
    {
        const int n = 1_000;
        const double p = 0.3;
        await using var sim = new SimulatedProviderHarness(o => o.Borrowers["high"].ConfirmRate = p);

        await sim.SendAsync(n, "high");
        await sim.AdvanceAndDrainAsync(PastEverything);

        // Five standard deviations either side of n·p: a correct simulation fails this about once in 1.7 million seeds.
        var sigma = Math.Sqrt(n * p * (1 - p));
        var replies = sim.Router.Replies;
        Assert.InRange(replies.Count, (int)Math.Ceiling((n * p) - (5 * sigma)), (int)Math.Floor((n * p) + (5 * sigma)));
        Assert.Equal(replies.Count, sim.Sender.Counters.Replies);
        Assert.All(replies, r => Assert.Equal(ReplyIntent.Confirm, ReplyClassifier.Classify(r.Text).Intent));
        Assert.All(replies, r => Assert.Equal("sim-reply-" + r.ClientReference, r.Id));
        Assert.All(replies, r => Assert.Equal(r.BorrowerId, "borrower-" + r.ClientReference![4..]));
        Assert.Empty(sim.Router.Payments);
    }

    [Fact]
    public async Task RepliesAndPaymentsComeAfterTheReceiptWithinTheirDelayRanges()
    {
        await using var sim = new SimulatedProviderHarness(o => (o.Borrowers["medium"].PlanRequestRate, o.Borrowers["medium"].PaymentRate) = (1, 1));

        await sim.SendAsync(50, "medium");
        await sim.AdvanceAndDrainAsync(PastEverything);

        var delivered = Start + ReceiptDelay;
        Assert.Equal(50, sim.Router.Replies.Count);
        Assert.Equal(50, sim.Router.Payments.Count);
        Assert.All(sim.Router.Replies, r => Assert.InRange(r.At, delivered + TimeSpan.FromMinutes(1), delivered + TimeSpan.FromMinutes(30)));
        Assert.All(sim.Router.Payments, r => Assert.InRange(r.At, delivered + TimeSpan.FromMinutes(10), delivered + TimeSpan.FromHours(1)));
        Assert.All(sim.Router.Payments, r => Assert.Equal("sim-pay-msg-" + r.BorrowerId![9..], r.Id));
        foreach (var reference in sim.Router.Receipts.Select(r => r.ClientReference))
        {
            var events = sim.Router.Events.Where(e => e.ClientReference == reference || e.Id == "sim-pay-" + reference).ToList();
            Assert.Equal(InboundKind.Receipt, events[0].Kind);
            Assert.Equal(events.OrderBy(e => e.At).Select(e => e.Kind), events.Select(e => e.Kind));
        }
    }

    [Theory]
    [InlineData("confirm", ReplyIntent.Confirm)]
    [InlineData("plan", ReplyIntent.PlanRequest)]
    [InlineData("opt-out", ReplyIntent.OptOut)]
    public async Task EveryReplyTextMeansWhatTheReplyClassifierSays(string reply, ReplyIntent intent)
    {
        await using var sim = new SimulatedProviderHarness(o =>
        {
            var low = o.Borrowers["low"];
            _ = reply switch
            {
                "confirm" => low.ConfirmRate = 1,
                "plan" => low.PlanRequestRate = 1,
                _ => low.OptOutRate = 1,
            };
        });

        await sim.SendAsync(10, "low");
        await sim.AdvanceAndDrainAsync(PastEverything);

        Assert.Equal(10, sim.Router.Replies.Count);
        Assert.All(sim.Router.Replies, r => Assert.Equal(intent, ReplyClassifier.Classify(r.Text).Intent));
    }

    [Fact]
    public async Task TransactionalMessagesNeverProduceRepliesOrPayments()
    {
        await using var sim = new SimulatedProviderHarness(o =>
        {
            foreach (var borrower in o.Borrowers.Values)
            {
                (borrower.ConfirmRate, borrower.PaymentRate) = (1, 1);
            }
        });

        foreach (var tier in new[] { "low", "medium", "high" })
        {
            await sim.SendAsync(20, tier, transactional: true);
        }

        await sim.AdvanceAndDrainAsync(PastEverything);

        Assert.Equal(60, sim.Router.Receipts.Count);
        Assert.Empty(sim.Router.Replies);
        Assert.Empty(sim.Router.Payments);
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameOutcomesAndAnotherSeedDoesNot()
    {
        var first = await RunAsync(seed: 7);
        var again = await RunAsync(seed: 7);
        var other = await RunAsync(seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task BorrowerReactionsDependOnTheMessageNotOnTheOrderOfSends()
    {
        static Action<SimulatedProviderOptions> Config() => o => (o.Borrowers["high"].ConfirmRate, o.Borrowers["high"].PaymentRate) = (0.5, 0.5);
        await using var forward = new SimulatedProviderHarness(Config());
        await using var backward = new SimulatedProviderHarness(Config());

        for (var i = 0; i < 100; i++)
        {
            await forward.Sender.SendAsync(Message(i));
            await backward.Sender.SendAsync(Message(99 - i));
        }

        await forward.AdvanceAndDrainAsync(PastEverything);
        await backward.AdvanceAndDrainAsync(PastEverything);

        Assert.Equal(Reactions(forward), Reactions(backward));
    }

    [Fact]
    public async Task AMessageOfATierWithoutBorrowerSettingsGetsOnlyItsReceipt()
    {
        await using var sim = new SimulatedProviderHarness(o => o.Borrowers.Remove("low"));

        await sim.SendAsync(5, "low");
        await sim.AdvanceAndDrainAsync(PastEverything);

        Assert.Equal(5, sim.Router.Events.Count);
        Assert.Equal(5, sim.Router.Receipts.Count);
    }

    [Fact]
    public async Task TierNamesMatchWhateverTheirCaseAndHowTheOptionsWereBound()
    {
        await using var sim = new SimulatedProviderHarness(o =>
        {
            // Configuration binding may hand over a plain, case-sensitive dictionary.
            o.Borrowers = new(StringComparer.Ordinal) { ["high"] = new() { ConfirmRate = 1 } };
        });

        await sim.SendAsync(4, "High");
        await sim.AdvanceAndDrainAsync(PastEverything);

        Assert.Equal(4, sim.Router.Replies.Count);
    }

    private static string[] Reactions(SimulatedProviderHarness sim) =>
        [.. sim.Router.Events.Where(e => e.Kind != InboundKind.Receipt).Select(e => $"{e.Kind} {e.Id} {e.Text} {e.At:O}").Order(StringComparer.Ordinal)];

    /// <summary>One mixed run: every send result and every callback, in a canonical order.</summary>
    private static async Task<string[]> RunAsync(int seed)
    {
        await using var sim = new SimulatedProviderHarness(o =>
        {
            o.Seed = seed;
            (o.MinReceiptDelay, o.MaxReceiptDelay) = (TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
            (o.FailureRate, o.ThrottleRate, o.PermanentFailureRate, o.DeliveryRate) = (0.1, 0.05, 0.05, 0.9);
            var high = o.Borrowers["high"];
            (high.ConfirmRate, high.PlanRequestRate, high.OptOutRate, high.PaymentRate) = (0.2, 0.1, 0.05, 0.3);
        });

        var results = await sim.SendAsync(1_000, "high");
        await sim.AdvanceAndDrainAsync(PastEverything);

        var sends = results.Select((r, i) => $"send {i} {r.Status} {r.Code} {r.ProviderMessageId}");
        var callbacks = sim.Router.Events.Select(e => $"{e.Kind} {e.ClientReference} {e.Id} {e.Status} {e.Code} {e.Text} {e.At:O}").Order(StringComparer.Ordinal);
        return [.. sends, .. callbacks];
    }
}
