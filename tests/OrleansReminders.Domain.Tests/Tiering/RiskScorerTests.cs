using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Tiering;

namespace OrleansReminders.Domain.Tests.Tiering;

public sealed class RiskScorerTests
{
    private static readonly TieringOptions Defaults = new();

    // Only days past due counts, one point per day up to 100: the score equals the days past due.
    private static readonly TieringOptions DaysOnly = new()
    {
        DaysPastDueWeight = 100, DaysPastDueCap = 100, AmountWeight = 0, LateShareWeight = 0,
        PriorDelinquenciesWeight = 0, CreditScoreWeight = 0, MediumFrom = 30, HighFrom = 60,
    };

    [Fact]
    public void DefaultOptionsAreValid()
    {
        Assert.Empty(Defaults.Validate());
    }

    [Fact]
    public void BorrowerWithoutRiskScoresZeroAndIsLow()
    {
        var assessment = RiskScorer.Assess(new TieringInput(0, 500m, 0m, 0, 800), Defaults);

        Assert.Equal(0, assessment.Score);
        Assert.Equal(RiskTier.Low, assessment.EffectiveTier);
        Assert.All(assessment.Contributions, c => Assert.Equal(0m, c.Points));
    }

    [Fact]
    public void WorstBorrowerScoresHundredAndIsHigh()
    {
        var assessment = RiskScorer.Assess(new TieringInput(400, 1_000_000m, 1m, 9, 300), Defaults);

        Assert.Equal(100, assessment.Score);
        Assert.Equal(RiskTier.High, assessment.ComputedTier);
        Assert.All(assessment.Contributions, c => Assert.Equal(c.MaxPoints, c.Points));
    }

    [Theory]
    [InlineData(29, RiskTier.Low)]
    [InlineData(30, RiskTier.Medium)]
    [InlineData(59, RiskTier.Medium)]
    [InlineData(60, RiskTier.High)]
    [InlineData(-5, RiskTier.Low)]
    public void TierBoundariesAreInclusiveLowerBounds(int daysPastDue, RiskTier expected)
    {
        var assessment = RiskScorer.Assess(new TieringInput(daysPastDue, 0m, 0m, 0), DaysOnly);

        Assert.Equal(Math.Max(daysPastDue, 0), assessment.Score);
        Assert.Equal(expected, assessment.ComputedTier);
    }

    [Fact]
    public void ContributionsExplainEachFactor()
    {
        var assessment = RiskScorer.Assess(new TieringInput(30, 10_500m, 0.5m, 1, 650), Defaults);

        var byName = assessment.Contributions.ToDictionary(c => c.Factor);
        Assert.Equal(17.5m, byName["daysPastDue"].Points);
        Assert.Equal(7.5m, byName["amountDue"].Points);
        Assert.Equal(12.5m, byName["lateShare"].Points);
        Assert.Equal(5m, byName["priorDelinquencies"].Points);
        Assert.Equal(5m, byName["creditScore"].Points);
        Assert.Equal(10_500m, byName["amountDue"].RawValue);
        Assert.Equal(48, assessment.Score);
        Assert.Equal(RiskTier.Medium, assessment.ComputedTier);
    }

    [Theory]
    [InlineData(1_000, 0)]
    [InlineData(500, 0)]
    [InlineData(20_000, 15)]
    [InlineData(50_000, 15)]
    public void AmountThresholdsBoundTheAmountPoints(int amount, int expectedPoints)
    {
        var assessment = RiskScorer.Assess(new TieringInput(0, amount, 0m, 0), Defaults);

        Assert.Equal(expectedPoints, assessment.Contributions.Single(c => c.Factor == "amountDue").Points);
    }

    [Fact]
    public void MissingCreditScoreDoesNotPenalise()
    {
        var missing = RiskScorer.Assess(new TieringInput(20, 5_000m, 0.25m, 1), Defaults);
        var excellent = RiskScorer.Assess(new TieringInput(20, 5_000m, 0.25m, 1, 850), Defaults);
        var poor = RiskScorer.Assess(new TieringInput(20, 5_000m, 0.25m, 1, 500), Defaults);

        Assert.Equal(excellent.Score, missing.Score);
        Assert.Equal(missing.Score + 10, poor.Score);
        Assert.Null(missing.Contributions.Single(c => c.Factor == "creditScore").RawValue);
    }

    [Fact]
    public void OverrideWinsOverComputedTierUntilCleared()
    {
        var input = new TieringInput(0, 0m, 0m, 0);
        var tierOverride = TierOverride.Create(RiskTier.High, "fraud suspicion", "ops.alice", Instant.FromUtc(2026, 3, 1, 9, 0));

        var overridden = RiskScorer.Assess(input, Defaults, tierOverride);
        var cleared = RiskScorer.Assess(input, Defaults);

        Assert.Equal(RiskTier.Low, overridden.ComputedTier);
        Assert.Equal(RiskTier.High, overridden.EffectiveTier);
        Assert.True(overridden.IsOverridden);
        Assert.Equal(overridden.Score, cleared.Score);
        Assert.Equal(RiskTier.Low, cleared.EffectiveTier);
    }

    [Fact]
    public void OverrideCanAlsoLowerTheTier()
    {
        var tierOverride = TierOverride.Create(RiskTier.Low, "hardship agreed", "ops.bob", Instant.FromUtc(2026, 3, 1, 9, 0));

        var assessment = RiskScorer.Assess(new TieringInput(400, 1_000_000m, 1m, 9, 300), Defaults, tierOverride);

        Assert.Equal(RiskTier.Low, assessment.EffectiveTier);
        Assert.Equal(100, assessment.Score);
    }

    [Fact]
    public void OverrideNeedsReasonAndOperator()
    {
        var exception = Assert.Throws<DomainValidationException>(
            () => TierOverride.Create(RiskTier.High, " ", "", Instant.FromUtc(2026, 3, 1, 9, 0)));

        Assert.Equal(["override.reason", "override.operator"], exception.Errors.Select(e => e.Path));
    }

    [Fact]
    public void InvalidOptionsReportEveryProblem()
    {
        var options = new TieringOptions { AmountWeight = 30, AmountHighThreshold = 500, HighFrom = 20, DaysPastDueCap = 0 };

        var paths = options.Validate().Select(e => e.Path).ToList();

        Assert.Equal(["tiering.weights", "tiering.daysPastDueCap", "tiering.amountHighThreshold", "tiering.highFrom"], paths);
        Assert.Throws<DomainValidationException>(() => options.EnsureValid());
    }

    [Fact]
    public void InvalidInputIsRejectedWithPaths()
    {
        var exception = Assert.Throws<DomainValidationException>(
            () => RiskScorer.Assess(new TieringInput(3, -1m, 1.5m, -2), Defaults));

        Assert.Equal(["amountDue", "lateShareLast12Months", "priorDelinquencies"], exception.Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData(3, 12, 0.25)]
    [InlineData(0, 0, 0)]
    [InlineData(5, 4, 1)]
    public void LateShareFromCounts(int late, int total, double expected)
    {
        Assert.Equal((decimal)expected, TieringInput.LateShare(late, total));
    }

    [Property(MaxTest = 500)]
    public Property MoreDaysPastDueNeverLowersTheScore()
    {
        return Prop.ForAll(Inputs().ToArbitrary(), Gen.Choose(0, 400).ToArbitrary(), (input, extra) =>
            RiskScorer.Assess(input with { DaysPastDue = input.DaysPastDue + extra }, Defaults).Score
                >= RiskScorer.Assess(input, Defaults).Score);
    }

    [Property(MaxTest = 500)]
    public Property ScoreStaysWithinZeroToHundredAndTierMatchesScore()
    {
        return Prop.ForAll(Inputs().ToArbitrary(), input =>
        {
            var assessment = RiskScorer.Assess(input, Defaults);
            return assessment.Score is >= 0 and <= 100 && assessment.ComputedTier == RiskScorer.TierFor(assessment.Score, Defaults);
        });
    }

    private static Gen<TieringInput> Inputs() =>
        from days in Gen.Choose(-30, 400)
        from amount in Gen.Choose(0, 100_000)
        from latePercent in Gen.Choose(0, 100)
        from prior in Gen.Choose(0, 10)
        from hasScore in ArbMap.Default.GeneratorFor<bool>()
        from score in Gen.Choose(300, 850)
        select new TieringInput(days, amount, latePercent / 100m, prior, hasScore ? score : null);
}
