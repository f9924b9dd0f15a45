using NodaTime;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Strategy;
using static OrleansReminders.Domain.Tests.Policy.PolicyTestKit;

namespace OrleansReminders.Domain.Tests.Borrowers;

/// <summary>
/// Steps are local dates; the time comes from the allowed window, whose local start may not exist (spring
/// forward) or exist twice (fall back). America/New_York, 2027: clocks go forward on 14 March at 07:00Z
/// (02:00 EST → 03:00 EDT) and back on 7 November at 06:00Z (02:00 EDT → 01:00 EST).
/// </summary>
public sealed class BorrowerPlannerDaylightSavingTests
{
    private static readonly ContactProfile NewYorker = Profile("US", "America/New_York");

    [Fact]
    public void AWindowStartingInsideTheSpringGapSendsAtTheFirstInstantAfterIt()
    {
        var planner = Planner(new LocalTime(2, 30)); // 02:30 does not exist on 2027-03-14
        var facts = Facts(dueDate: new LocalDate(2027, 3, 17)); // D-3 is the transition day

        var wait = Assert.IsType<PlanWait>(planner.Plan(facts, Utc("2027-03-14T05:00:00Z"))); // 00:00 EST

        Assert.Equal(Utc("2027-03-14T07:00:00Z"), wait.At); // 03:00 EDT: the gap's end, inside the window
        var send = Assert.IsType<PlanSend>(planner.Plan(facts, wait.At));
        Assert.Equal("L0", send.Action.StepKey);
        Assert.Equal(Utc("2027-03-15T01:00:00Z"), send.SendBy); // 21:00 EDT
    }

    [Fact]
    public void ANightBeforeTheSpringGapWaitsForTheMorningInTheNewOffset()
    {
        var planner = new BorrowerPlanner(CollectionStrategy.Default, PolicyWith(AllowedHoursOnly));

        var wait = Assert.IsType<PlanWait>(planner.Plan(Facts(new LocalDate(2027, 3, 17)), Utc("2027-03-14T06:30:00Z"))); // 01:30 EST

        Assert.Equal(Utc("2027-03-14T12:00:00Z"), wait.At); // 08:00 EDT
    }

    [Fact]
    public void AStepInTheRepeatedAutumnHourIsSentOnce()
    {
        var planner = Planner(new LocalTime(1, 30)); // 01:30 happens twice on 2027-11-07
        var facts = Facts(dueDate: new LocalDate(2027, 11, 10));

        var wait = Assert.IsType<PlanWait>(planner.Plan(facts, Utc("2027-11-07T04:00:00Z"))); // 00:00 EDT
        Assert.Equal(Utc("2027-11-07T05:30:00Z"), wait.At); // the first 01:30 (EDT)
        var send = Assert.IsType<PlanSend>(planner.Plan(facts, wait.At));

        // The step is recorded as sent; at the second 01:30 (EST) the ladder has moved on.
        var after = facts with
        {
            Ladder = LadderProgress.AfterAction(facts.Ladder, send.Action, new LocalDate(2027, 11, 7)),
            History = [new ContactRecord(Channel.Sms, wait.At)],
        };
        var again = planner.Plan(after, Utc("2027-11-07T06:30:00Z"));

        var next = Assert.IsType<PlanWait>(again);
        Assert.True(next.At >= Utc("2027-11-09T05:00:00Z"), $"next step at {next.At}: {next.Reason}"); // D-1, not today
        Assert.DoesNotContain("L0", next.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameMessageOfferedAgainInTheRepeatedHourIsRefused()
    {
        var policy = PolicyWith(AllowedHoursOnly.With().Jurisdiction("US", j => j with { AllowedWindow = new TimeWindow(new LocalTime(1, 30), new LocalTime(21, 0)) }));
        var sent = new ContactRecord(Channel.Sms, Utc("2027-11-07T05:30:00Z"));

        var decision = policy.Evaluate(NewYorker, [sent], Proposal(Utc("2027-11-07T06:30:00Z")));

        Assert.False(decision.Allowed); // one collection SMS a day (and a 24-hour gap): no second send at the second 01:30
        Assert.Equal(PolicyReason.MinimumGap, decision.Reason);
    }

    private static BorrowerPlanner Planner(LocalTime windowStart) =>
        new(CollectionStrategy.Default, PolicyWith(AllowedHoursOnly.With()
            .Jurisdiction("US", j => j with { AllowedWindow = new TimeWindow(windowStart, new LocalTime(21, 0)) })));

    private static BorrowerFacts Facts(LocalDate dueDate) =>
        new(RiskTier.Medium, dueDate, new LadderState(), NewYorker, []);
}
