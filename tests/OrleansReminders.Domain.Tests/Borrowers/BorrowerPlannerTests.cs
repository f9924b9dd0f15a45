using NodaTime;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Domain.Tests.Borrowers;

public sealed class BorrowerPlannerTests
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly LocalDate DueDate = new(2026, 3, 10);
    private readonly BorrowerPlanner _planner = new(CollectionStrategy.Default, ContactPolicy.CreateDefault());

    [Fact]
    public void BeforeThePreDueStepTheBorrowerWaitsForItsDayInsideThePreferredWindow()
    {
        var plan = _planner.Plan(Facts(), At(2026, 3, 1, 12, 0));

        var wait = Assert.IsType<PlanWait>(plan);
        Assert.Equal(At(2026, 3, 7, 9, 0), wait.At); // D-3, 09:00 local (preferred window start)
    }

    [Fact]
    public void OnTheStepDayInsideTheWindowItSendsWithTheWindowEndAsDeadline()
    {
        var plan = _planner.Plan(Facts(), At(2026, 3, 7, 10, 30));

        var send = Assert.IsType<PlanSend>(plan);
        Assert.Equal("L0", send.Action.StepKey);
        Assert.Equal(Channel.Sms, send.Action.Channel);
        Assert.Equal("reminder.predue", send.Action.TemplateKey);
        Assert.Equal(At(2026, 3, 7, 17, 0), send.SendBy);
    }

    [Fact]
    public void AtNightTheStepIsHeldUntilTheMorning()
    {
        var plan = _planner.Plan(Facts(), At(2026, 3, 7, 23, 15));

        Assert.Equal(At(2026, 3, 8, 9, 0), Assert.IsType<PlanWait>(plan).At);
    }

    [Fact]
    public void AfterThreeUnansweredOverdueMessagesTheCallTaskFollows()
    {
        var ladder = new LadderState(LastStepIndex: 5, ConsecutiveUnanswered: 3, LastActionDate: DueDate.PlusDays(14));

        var plan = _planner.Plan(Facts(ladder), At(2026, 3, 26, 10, 0));

        var send = Assert.IsType<PlanSend>(plan);
        Assert.True(send.Action.IsEscalation);
        Assert.Equal(Channel.Call, send.Action.Channel);
        Assert.Equal("E0", send.Action.StepKey);
    }

    [Fact]
    public void AnOptedOutBorrowerIsDoneAndNeverScheduled()
    {
        var profile = Profile() with { Flags = new ContactFlags { OptedOutAll = true } };

        var plan = _planner.Plan(Facts(profile: profile), At(2026, 3, 7, 10, 30));

        Assert.IsType<PlanDone>(plan);
    }

    [Fact]
    public void NothingOwedIsDoneAndPausedIsIdle()
    {
        Assert.IsType<PlanDone>(_planner.Plan(Facts() with { DueDate = null }, At(2026, 3, 7, 10, 30)));
        Assert.IsType<PlanIdle>(_planner.Plan(Facts() with { Paused = true }, At(2026, 3, 7, 10, 30)));
    }

    [Fact]
    public void AWeeklyCapHoldsTheNextCollectionSmsUntilTheCapClears()
    {
        var sentYesterday = new ContactRecord(Channel.Sms, At(2026, 3, 12, 10, 0));
        var ladder = new LadderState(LastStepIndex: 2, LastActionDate: DueDate);

        var plan = _planner.Plan(Facts(ladder) with { History = [sentYesterday] }, At(2026, 3, 13, 10, 0));

        var wait = Assert.IsType<PlanWait>(plan);
        Assert.True(wait.At > At(2026, 3, 13, 10, 0));
        var allowed = ContactPolicy.CreateDefault().Evaluate(Profile(), [sentYesterday], new ContactProposal(wait.At, Channel.Sms));
        Assert.True(allowed.Allowed, allowed.Explanation);
    }

    [Fact]
    public void ProgressMovesPastTheActionAndCountsUnansweredOnlyOnceTheProviderAcceptedIt()
    {
        var action = new PlannedAction("L3", Channel.Sms, "overdue.first", StepUrgency.Normal, CountsAsUnanswered: true,
            IsEscalation: false, Index: 3, DueDate.PlusDays(3), null, []);

        var decided = LadderProgress.AfterAction(new LadderState(LastStepIndex: 2, ConsecutiveUnanswered: 1), action, DueDate.PlusDays(3));
        var accepted = LadderProgress.AfterAccepted(decided, action.CountsAsUnanswered);

        Assert.Equal(3, decided.LastStepIndex);
        Assert.Equal(1, decided.ConsecutiveUnanswered);
        Assert.Equal(2, accepted.ConsecutiveUnanswered);
        Assert.Equal(accepted, LadderProgress.AfterAccepted(accepted, countsAsUnanswered: false) with { });
        Assert.Equal(0, LadderProgress.AfterReply(accepted).ConsecutiveUnanswered);
    }

    private static BorrowerFacts Facts(LadderState? ladder = null, ContactProfile? profile = null) =>
        new(RiskTier.Medium, DueDate, ladder ?? new LadderState(), profile ?? Profile(), []);

    private static ContactProfile Profile() => new() { TimeZoneIds = ["Asia/Shanghai"], Region = "CN", Jurisdiction = "CN" };

    private static Instant At(int y, int m, int d, int h, int min) =>
        new LocalDateTime(y, m, d, h, min).InZoneStrictly(Shanghai).ToInstant();
}

public sealed class PromiseRulesTests
{
    private static readonly LocalDate Today = new(2026, 3, 1);

    [Theory]
    [InlineData(1, "promise", true)]
    [InlineData(184, "extension", true)]   // 2026-09-01: exactly six months
    [InlineData(185, "extension", false)]
    [InlineData(0, "promise", false)]
    [InlineData(10, "holiday", false)]
    public void APromiseIsAfterTodayAtMostSixMonthsAheadAndOfAKnownKind(int days, string kind, bool valid) =>
        Assert.Equal(valid, !PromiseRules.Validate(Today.PlusDays(days), kind, Today).Any());
}
