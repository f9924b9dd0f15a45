using OrleansReminders.Domain.Reports;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Domain.Tests.Reports;

public sealed class FunnelLegendTests
{
    [Fact]
    public void EveryStageOfTheDefaultStrategyIsExplainedWithItsDayPerTier()
    {
        var legend = FunnelLegend.Stages(CollectionStrategy.Default, ["L0", "L2", "L3", "L5", "E0", "E1", "L9", "thanks.payment"])
            .ToDictionary(s => s.Stage, s => s.Meaning);

        Assert.Equal("pre-due SMS, D-3", legend["L0"]);
        Assert.Equal("due-day SMS, D+0", legend["L2"]);
        Assert.Equal("overdue SMS, D+7 (low), D+3 (medium, high)", legend["L3"]);
        Assert.Equal("overdue SMS, D+14 (medium, high)", legend["L5"]);
        Assert.Equal("call task for an agent (not an SMS: counted under tasks), 2 days after the last contact, "
            + "once 3 overdue SMS in a row went unanswered or the ladder ran out", legend["E0"]);
        Assert.Equal("agency hand-off (not an SMS: counted under tasks), 14 days after the last contact", legend["E1"]);
        Assert.Equal("not a step of any tier's ladder", legend["L9"]);
        Assert.Equal("not a stage of the strategy", legend["thanks.payment"]);
    }

    [Fact]
    public void VariantsNameTheirPaymentSegmentAndStretch() =>
        Assert.Equal("gentle = on-time payers (overdue days × 1.5: D+3 → D+5), firm = repeat delinquents, default = other borrowers",
            FunnelLegend.Variants(CollectionStrategy.Default));
}
