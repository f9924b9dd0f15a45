using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Domain.Tests.Strategy;

public sealed class LadderTests
{
    private static readonly LocalDate Due = new(2026, 3, 10);
    private static readonly CollectionStrategy Strategy = CollectionStrategy.Default;

    [Fact]
    public void FreshBorrowerGetsPreDueReminderThreeDaysBefore()
    {
        var decision = Assert.IsType<SendLadderStep>(Ladder.Next(Strategy, RiskTier.Medium, Due, new LadderState(), Due.PlusDays(-10)));

        Assert.Equal(0, decision.StepIndex);
        Assert.Equal(Due.PlusDays(-3), decision.BusinessDate);
        Assert.Empty(decision.SkippedStepIndices);
        Assert.Null(decision.ToneVariant);
    }

    [Fact]
    public void UnansweredMediumLadderRunsAllStepsThenCallThenAgency()
    {
        var trail = Run(RiskTier.Medium, new LadderState(), replyAfterStep: null);

        Assert.Equal(
            ["D-3 Sms", "D-1 Sms", "D0 Sms", "D3 Sms", "D7 Sms", "D14 Sms", "D16 Call", "D30 Agency", "done"],
            trail);
    }

    [Fact]
    public void EscalationStartsAfterThreeConsecutiveUnanswered()
    {
        var state = new LadderState(LastStepIndex: 4, ConsecutiveUnanswered: 3, LastActionDate: Due.PlusDays(7));

        var decision = Assert.IsType<Escalate>(Ladder.Next(Strategy, RiskTier.Medium, Due, state, Due.PlusDays(8)));

        Assert.Equal(Channel.Call, decision.Step.Channel);
        Assert.Equal(Due.PlusDays(9), decision.BusinessDate);
        Assert.Equal(EscalationCause.Unanswered, decision.Cause);
    }

    [Fact]
    public void TwoUnansweredDoNotEscalate()
    {
        var state = new LadderState(LastStepIndex: 4, ConsecutiveUnanswered: 2, LastActionDate: Due.PlusDays(7));

        var decision = Assert.IsType<SendLadderStep>(Ladder.Next(Strategy, RiskTier.Medium, Due, state, Due.PlusDays(8)));

        Assert.Equal(5, decision.StepIndex);
        Assert.Equal(Due.PlusDays(14), decision.BusinessDate);
    }

    [Fact]
    public void ReplyResetsUnansweredCountSoNoEscalationFollows()
    {
        var json = StrategyJson.Mutate(root => root["unansweredEscalation"]!["escalateWhenLadderExhausted"] = false);
        var strategy = CollectionStrategy.Parse(json);

        var withReply = Run(RiskTier.Medium, new LadderState(), replyAfterStep: 4, strategy);
        var withoutReply = Run(RiskTier.Medium, new LadderState(), replyAfterStep: null, strategy);

        Assert.Equal(["D-3 Sms", "D-1 Sms", "D0 Sms", "D3 Sms", "D7 Sms", "D14 Sms", "done"], withReply);
        Assert.Equal("D16 Call", withoutReply[6]);
    }

    [Fact]
    public void ExhaustedLadderEscalatesByDefaultEvenBelowThreshold()
    {
        var afterLadder = new LadderState(LastStepIndex: 5, ConsecutiveUnanswered: 1, LastActionDate: Due.PlusDays(14));

        var decision = Assert.IsType<Escalate>(Ladder.Next(Strategy, RiskTier.Medium, Due, afterLadder, Due.PlusDays(15)));

        Assert.Equal(EscalationCause.LadderExhausted, decision.Cause);
        Assert.Equal(Due.PlusDays(16), decision.BusinessDate);
    }

    [Fact]
    public void ExhaustedLadderEndsWhenRuleDoesNotEscalateOnExhaustion()
    {
        var json = StrategyJson.Mutate(root => root["unansweredEscalation"]!["escalateWhenLadderExhausted"] = false);
        var strategy = CollectionStrategy.Parse(json);
        var state = new LadderState(LastStepIndex: 4, ConsecutiveUnanswered: 2);

        var decision = Assert.IsType<NoFurtherAction>(Ladder.Next(strategy, RiskTier.Low, Due, state, Due.PlusDays(15)));

        Assert.Equal("ladder complete", decision.Reason);
    }

    [Fact]
    public void LowTierFirstOverdueStepIsDaySeven()
    {
        var state = new LadderState(LastStepIndex: 2);

        var decision = Assert.IsType<SendLadderStep>(Ladder.Next(Strategy, RiskTier.Low, Due, state, Due.PlusDays(1)));

        Assert.Equal(Due.PlusDays(7), decision.BusinessDate);
    }

    [Fact]
    public void LateStartSendsOnlyLatestDueStepAndSkipsStaleOnes()
    {
        var decision = Assert.IsType<SendLadderStep>(Ladder.Next(Strategy, RiskTier.Medium, Due, new LadderState(), Due.PlusDays(5)));

        Assert.Equal(3, decision.StepIndex);
        Assert.Equal(Due.PlusDays(5), decision.BusinessDate);
        Assert.Equal([0, 1, 2], decision.SkippedStepIndices);
    }

    [Fact]
    public void StartOnDueDaySendsDueDayNoticeNotPreDueReminder()
    {
        var decision = Assert.IsType<SendLadderStep>(Ladder.Next(Strategy, RiskTier.Medium, Due, new LadderState(), Due));

        Assert.Equal(2, decision.StepIndex);
        Assert.Equal("reminder.due", decision.Step.TemplateKey);
        Assert.Equal([0, 1], decision.SkippedStepIndices);
    }

    [Fact]
    public void SuspensionDefersNextStepToDayAfterPromisedDate()
    {
        var state = new LadderState(LastStepIndex: 3, SuspendedUntil: Due.PlusDays(10));

        var decision = Assert.IsType<SendLadderStep>(Ladder.Next(Strategy, RiskTier.Medium, Due, state, Due.PlusDays(5)));

        Assert.Equal(4, decision.StepIndex);
        Assert.Equal(Due.PlusDays(11), decision.BusinessDate);
    }

    [Fact]
    public void SuspensionInThePastIsIgnored()
    {
        var state = new LadderState(LastStepIndex: 3, SuspendedUntil: Due.PlusDays(2));

        var decision = Assert.IsType<SendLadderStep>(Ladder.Next(Strategy, RiskTier.Medium, Due, state, Due.PlusDays(5)));

        Assert.Equal(Due.PlusDays(7), decision.BusinessDate);
    }

    [Fact]
    public void SuspensionAlsoHoldsEscalation()
    {
        var state = new LadderState(LastStepIndex: 5, ConsecutiveUnanswered: 3, SuspendedUntil: Due.PlusDays(40), LastActionDate: Due.PlusDays(14));

        var decision = Assert.IsType<Escalate>(Ladder.Next(Strategy, RiskTier.Medium, Due, state, Due.PlusDays(15)));

        Assert.Equal(Due.PlusDays(41), decision.BusinessDate);
    }

    [Fact]
    public void NewCustomerBufferMovesOverdueStepsKeepingGaps()
    {
        var dates = Ladder.EffectiveDates(Strategy.LadderFor(RiskTier.Medium), SegmentSettings.Neutral, Due, isNewCustomer: true);

        Assert.Equal([-3, -1, 0, 5, 9, 16], dates.Select(date => Period.Between(Due, date, PeriodUnits.Days).Days));
    }

    [Fact]
    public void BufferShorterThanFirstOverdueOffsetChangesNothing()
    {
        var dates = Ladder.EffectiveDates(Strategy.LadderFor(RiskTier.Low), SegmentSettings.Neutral, Due, isNewCustomer: true);

        Assert.Equal([-3, -1, 0, 7, 14], dates.Select(date => Period.Between(Due, date, PeriodUnits.Days).Days));
    }

    [Fact]
    public void OnTimePayerGetsLongerOverdueGapsAndGentleTone()
    {
        var state = new LadderState(LastStepIndex: 3, Segment: PaymentSegment.OnTime);

        var decision = Assert.IsType<SendLadderStep>(Ladder.Next(Strategy, RiskTier.Medium, Due, state, Due.PlusDays(6)));

        Assert.Equal(Due.PlusDays(11), decision.BusinessDate);
        Assert.Equal("gentle", decision.ToneVariant);
    }

    [Fact]
    public void RepeatDelinquentKeepsGapsWithFirmTone()
    {
        var state = new LadderState(LastStepIndex: 3, Segment: PaymentSegment.RepeatDelinquent);

        var decision = Assert.IsType<SendLadderStep>(Ladder.Next(Strategy, RiskTier.Medium, Due, state, Due.PlusDays(6)));

        Assert.Equal(Due.PlusDays(7), decision.BusinessDate);
        Assert.Equal("firm", decision.ToneVariant);
    }

    [Property(MaxTest = 300)]
    public bool DecisionNeverFallsBeforeTodayOrInsideSuspension(int lastStep, int unanswered, int todayOffset, int suspendOffset, bool isNew, bool suspended)
    {
        var state = new LadderState(
            LastStepIndex: Math.Abs(lastStep % 8) - 1,
            ConsecutiveUnanswered: Math.Abs(unanswered % 5),
            IsNewCustomer: isNew,
            SuspendedUntil: suspended ? Due.PlusDays(suspendOffset % 60) : null);
        var today = Due.PlusDays(todayOffset % 60);

        var date = Ladder.Next(Strategy, RiskTier.High, Due, state, today) switch
        {
            SendLadderStep send => send.BusinessDate,
            Escalate escalate => escalate.BusinessDate,
            _ => (LocalDate?)null,
        };

        return date is null || (date >= today && (state.SuspendedUntil is not { } until || date > until));
    }

    [Property(MaxTest = 100)]
    public Property FullRunHasNonDecreasingDates()
    {
        var tiers = Gen.Elements(RiskTier.Low, RiskTier.Medium, RiskTier.High);
        var segments = Gen.Elements(PaymentSegment.Standard, PaymentSegment.OnTime, PaymentSegment.RepeatDelinquent);
        return Prop.ForAll(tiers.ToArbitrary(), segments.ToArbitrary(), ArbMap.Default.ArbFor<bool>(), (tier, segment, isNew) =>
        {
            var dates = RunDates(tier, new LadderState(IsNewCustomer: isNew, Segment: segment));
            return dates.Zip(dates.Skip(1)).All(pair => pair.First <= pair.Second);
        });
    }

    private static List<string> Run(RiskTier tier, LadderState state, int? replyAfterStep, CollectionStrategy? strategy = null)
    {
        var trail = new List<string>();
        var today = Due.PlusDays(-10);
        for (var guard = 0; guard < 20; guard++)
        {
            var decision = Ladder.Next(strategy ?? Strategy, tier, Due, state, today);
            trail.Add(Describe(decision));
            if (decision is NoFurtherAction)
            {
                break;
            }

            (state, today) = Apply(state, decision, replyAfterStep);
        }

        return trail;
    }

    private static List<LocalDate> RunDates(RiskTier tier, LadderState state)
    {
        var dates = new List<LocalDate>();
        var today = Due.PlusDays(-10);
        for (var guard = 0; guard < 20; guard++)
        {
            var decision = Ladder.Next(Strategy, tier, Due, state, today);
            if (decision is NoFurtherAction)
            {
                break;
            }

            (state, today) = Apply(state, decision, replyAfterStep: null);
            dates.Add(today);
        }

        return dates;
    }

    private static (LadderState State, LocalDate Today) Apply(LadderState state, LadderDecision decision, int? replyAfterStep) =>
        decision switch
        {
            SendLadderStep send => (state with
            {
                LastStepIndex = send.StepIndex,
                ConsecutiveUnanswered = send.StepIndex == replyAfterStep ? 0
                    : state.ConsecutiveUnanswered + (send.Step.CountsAsUnanswered ? 1 : 0),
                LastActionDate = send.BusinessDate,
            }, send.BusinessDate),
            Escalate escalate => (state with { EscalationsDone = state.EscalationsDone + 1, LastActionDate = escalate.BusinessDate }, escalate.BusinessDate),
            _ => throw new InvalidOperationException(),
        };

    private static string Describe(LadderDecision decision) => decision switch
    {
        SendLadderStep send => $"D{Period.Between(Due, send.BusinessDate, PeriodUnits.Days).Days} {send.Step.Channel}",
        Escalate escalate => $"D{Period.Between(Due, escalate.BusinessDate, PeriodUnits.Days).Days} {escalate.Step.Channel}",
        _ => "done",
    };
}
