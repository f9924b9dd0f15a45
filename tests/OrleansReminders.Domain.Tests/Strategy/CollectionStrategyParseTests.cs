using System.Text.Json.Nodes;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Domain.Tests.Strategy;

public sealed class CollectionStrategyParseTests
{
    [Fact]
    public void DefaultMediumLadderFollowsDesign()
    {
        var ladder = CollectionStrategy.Default.LadderFor(RiskTier.Medium);

        Assert.Equal([-3, -1, 0, 3, 7, 14], ladder.Steps.Select(step => step.OffsetDays));
        Assert.All(ladder.Steps, step => Assert.Equal(Channel.Sms, step.Channel));
        Assert.Equal([false, false, false, true, true, true], ladder.Steps.Select(step => step.CountsAsUnanswered));
        Assert.Equal("overdue.first", ladder.Steps[3].TemplateKey);
    }

    [Fact]
    public void DefaultEscalatesToCallThenAgencyAfterThreeUnanswered()
    {
        var rule = CollectionStrategy.Default.Escalation;

        Assert.Equal(3, rule.UnansweredThreshold);
        Assert.Equal([Channel.Call, Channel.Agency], rule.Steps.Select(step => step.Channel));
        Assert.Same(rule, CollectionStrategy.Default.LadderFor(RiskTier.High).Escalation);
    }

    [Fact]
    public void DefaultLowTierStartsOverdueAtDaySeven()
    {
        var low = CollectionStrategy.Default.LadderFor(RiskTier.Low);

        Assert.Equal(7, low.Steps.First(step => step.OffsetDays > 0).OffsetDays);
    }

    [Fact]
    public void DefaultHighTierOverridesBufferAndMarksLastStepUrgent()
    {
        var high = CollectionStrategy.Default.LadderFor(RiskTier.High);

        Assert.Equal(3, high.NewCustomerBufferDays);
        Assert.Equal(5, CollectionStrategy.Default.LadderFor(RiskTier.Medium).NewCustomerBufferDays);
        Assert.True(high.Steps[^1].IsWeeklyCapExempt);
        Assert.False(high.Steps[^2].IsWeeklyCapExempt);
    }

    [Fact]
    public void DefaultSegmentsMakeOnTimeGentleAndRepeatDelinquentFirm()
    {
        var strategy = CollectionStrategy.Default;

        Assert.Equal(new SegmentSettings(150, "gentle"), strategy.SettingsFor(PaymentSegment.OnTime));
        Assert.Equal("firm", strategy.SettingsFor(PaymentSegment.RepeatDelinquent).ToneVariant);
        Assert.Same(SegmentSettings.Neutral, strategy.SettingsFor(PaymentSegment.Standard));
    }

    [Fact]
    public void ExplicitWeeklyCapExemptionOverridesUrgency()
    {
        var json = StrategyJson.Mutate(root =>
        {
            StrategyJson.Step(root, "low", 0)["weeklyCapExempt"] = true;
            StrategyJson.Step(root, "high", 5)["weeklyCapExempt"] = false;
        });

        var strategy = CollectionStrategy.Parse(json);

        Assert.True(strategy.LadderFor(RiskTier.Low).Steps[0].IsWeeklyCapExempt);
        Assert.False(strategy.LadderFor(RiskTier.High).Steps[5].IsWeeklyCapExempt);
    }

    [Fact]
    public void ContactPolicySectionIsKeptRaw()
    {
        var json = StrategyJson.Mutate(root => root["contactPolicy"] = new JsonObject { ["jurisdiction"] = "CN", ["caps"] = new JsonArray(1, 2) });

        var policy = CollectionStrategy.Parse(json).ContactPolicy;

        Assert.NotNull(policy);
        Assert.Equal("CN", policy.Value.GetProperty("jurisdiction").GetString());
        Assert.Equal(2, policy.Value.GetProperty("caps").GetArrayLength());
        Assert.Null(CollectionStrategy.Default.ContactPolicy);
    }

    [Fact]
    public void TierMayOverrideEscalationRule()
    {
        var json = StrategyJson.Mutate(root => root["tiers"]!["high"]!["unansweredEscalation"] = new JsonObject
        {
            ["threshold"] = 2,
            ["steps"] = new JsonArray(new JsonObject { ["channel"] = "agency", ["templateKey"] = "agency.now" }),
        });

        var strategy = CollectionStrategy.Parse(json);

        Assert.Equal(2, strategy.LadderFor(RiskTier.High).Escalation.UnansweredThreshold);
        Assert.Equal(Channel.Agency, strategy.LadderFor(RiskTier.High).Escalation.Steps[0].Channel);
        Assert.Equal(3, strategy.LadderFor(RiskTier.Low).Escalation.UnansweredThreshold);
    }

    [Fact]
    public void CommentsAndTrailingCommasAreAccepted()
    {
        var compact = StrategyJson.Mutate(_ => { }).Replace("\"tiers\":", "/* ladders */ \"tiers\":");
        var json = compact[..^1] + ",}";

        var strategy = CollectionStrategy.Parse(json);

        Assert.Equal(3, strategy.Tiers.Count);
    }
}
