using NodaTime;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Domain.Tests.Borrowers;

/// <summary>
/// The shipped CN calendar ends on 2026-12-31: from then on a CN borrower's steps wait, day after day, for a
/// calendar that covers them. The borrower is never marked done for it, and the planner asks again daily.
/// </summary>
public sealed class BorrowerPlannerCalendarTests
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly ContactProfile China = new() { TimeZoneIds = ["Asia/Shanghai"], Region = "CN", Jurisdiction = "CN" };
    private readonly BorrowerPlanner _holding = new(CollectionStrategy.Default, ContactPolicy.CreateDefault());

    [Fact]
    public void AStepAfterTheCalendarEndsWaitsForTheNextDayNotForTheHorizon()
    {
        var facts = Facts(dueDate: new LocalDate(2027, 1, 10));

        var wait = Assert.IsType<PlanWait>(_holding.Plan(facts, At(2026, 12, 31, 12, 0)));

        Assert.Equal(At(2027, 1, 1, 0, 0), wait.At);
        Assert.Equal(PolicyReason.CalendarNotCovered, wait.DeferredBy);
        Assert.Contains("calendar-not-covered", wait.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOverdueBorrowerIsAskedAboutEveryDayAndNeverDone()
    {
        var facts = Facts(dueDate: new LocalDate(2026, 12, 20), new LadderState(LastStepIndex: 3, LastActionDate: new LocalDate(2026, 12, 23)));
        var now = At(2027, 1, 2, 10, 0);

        for (var day = 0; day < 45; day++)
        {
            var wait = Assert.IsType<PlanWait>(_holding.Plan(facts, now));
            Assert.True(wait.At > now && wait.At - now <= Duration.FromDays(1), $"{now}: next look at {wait.At}");
            Assert.Equal(PolicyReason.CalendarNotCovered, wait.DeferredBy);
            now = wait.At;
        }
    }

    [Fact]
    public void ALenderWhoAllowsUncoveredDatesSendsOnTheStepDay()
    {
        var allowing = new BorrowerPlanner(CollectionStrategy.Default, new ContactPolicy(
            ContactPolicySettings.Default with { OnUncoveredDate = UncoveredDateAction.Allow }, HolidayCalendarSet.LoadShipped()));
        var facts = Facts(dueDate: new LocalDate(2027, 1, 10));

        Assert.Equal(At(2027, 1, 7, 9, 0), Assert.IsType<PlanWait>(allowing.Plan(facts, At(2026, 12, 31, 12, 0))).At);
        Assert.Equal("L0", Assert.IsType<PlanSend>(allowing.Plan(facts, At(2027, 1, 7, 9, 0))).Action.StepKey);
    }

    [Fact]
    public void AMessageThatCannotBeReslottedNamesTheReasonCode()
    {
        var slot = _holding.Reslot(Facts(dueDate: new LocalDate(2026, 12, 20)), At(2027, 1, 2, 10, 0), Channel.Sms,
            transactional: false, urgent: false, out var refusal);

        Assert.Null(slot);
        Assert.StartsWith("calendar-not-covered: ", refusal, StringComparison.Ordinal);
        Assert.NotNull(_holding.Reslot(Facts(dueDate: new LocalDate(2026, 12, 20)), At(2027, 1, 2, 10, 0), Channel.Sms,
            transactional: true, urgent: false));
    }

    private static BorrowerFacts Facts(LocalDate dueDate, LadderState? ladder = null) =>
        new(RiskTier.Medium, dueDate, ladder ?? new LadderState(), China, []);

    private static Instant At(int y, int m, int d, int h, int min) =>
        new LocalDateTime(y, m, d, h, min).InZoneStrictly(Shanghai).ToInstant();
}
