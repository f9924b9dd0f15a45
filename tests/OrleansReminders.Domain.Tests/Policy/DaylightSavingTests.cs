using NodaTime;
using OrleansReminders.Domain.Policy;
using static OrleansReminders.Domain.Tests.Policy.PolicyTestKit;

namespace OrleansReminders.Domain.Tests.Policy;

/// <summary>America/New_York: clocks go forward at 2025-03-09 07:00Z (02:00 EST → 03:00 EDT) and back at 2025-11-02 06:00Z (02:00 EDT → 01:00 EST).</summary>
public sealed class DaylightSavingTests
{
    private static readonly ContactProfile NewYorker = Profile("US", "America/New_York");

    private static ContactPolicy UsWindow(int startHour, int startMinute, int endHour, int endMinute) =>
        PolicyWith(AllowedHoursOnly.With().Jurisdiction("US", r => r with
        {
            AllowedWindow = new TimeWindow(new LocalTime(startHour, startMinute), new LocalTime(endHour, endMinute)),
        }));

    [Theory]
    [InlineData("2025-03-08T06:30:00Z", "2025-03-08T13:00:00Z")] // EST the day before
    [InlineData("2025-03-09T06:30:00Z", "2025-03-09T12:00:00Z")] // 01:30 EST → 08:00 EDT
    [InlineData("2025-11-02T05:30:00Z", "2025-11-02T13:00:00Z")] // 01:30 EDT → 08:00 EST
    [InlineData("2026-03-08T06:30:00Z", "2026-03-08T12:00:00Z")]
    [InlineData("2026-11-01T05:30:00Z", "2026-11-01T13:00:00Z")]
    [InlineData("2027-03-14T06:30:00Z", "2027-03-14T12:00:00Z")] // 01:30 EST → 08:00 EDT (US calendar by rule covers 2027)
    [InlineData("2027-11-07T05:30:00Z", "2027-11-07T13:00:00Z")] // 01:30 EDT → 08:00 EST
    public void MorningBoundaryOnTransitionDaysIsEightLocal(string from, string expected)
    {
        var next = PolicyWith(AllowedHoursOnly).NextAllowed(NewYorker, [], Proposal(Utc(from)));

        Assert.Equal(Utc(expected), next.At);
    }

    [Theory]
    [InlineData("2025-03-09T20:00:00Z", "2025-03-10T01:00:00Z")] // 21:00 EDT
    [InlineData("2025-11-02T20:00:00Z", "2025-11-03T02:00:00Z")] // 21:00 EST
    public void EveningBoundaryOnTransitionDaysIsNinePmLocal(string inside, string end)
    {
        var policy = PolicyWith(AllowedHoursOnly);

        Assert.Equal(Utc(end), policy.SendByDeadline(NewYorker, Proposal(Utc(inside))));
        Assert.True(policy.Evaluate(NewYorker, [], Proposal(Utc(end) - Duration.FromMinutes(1))).Allowed);
        Assert.Equal(PolicyReason.QuietHours, policy.Evaluate(NewYorker, [], Proposal(Utc(end))).Reason);
    }

    [Fact]
    public void WindowStartingInsideTheSpringGapOpensWhenTheGapEnds()
    {
        var policy = UsWindow(2, 30, 21, 0);

        Assert.Equal(PolicyReason.QuietHours, policy.Evaluate(NewYorker, [], Proposal(Utc("2025-03-09T06:59:00Z"))).Reason);
        Assert.Equal(Utc("2025-03-09T07:00:00Z"), policy.NextAllowed(NewYorker, [], Proposal(Utc("2025-03-09T06:00:00Z"))).At);
    }

    [Fact]
    public void WindowEndingInsideTheSpringGapClosesWhenTheGapStarts()
    {
        var policy = UsWindow(0, 30, 2, 30);

        Assert.Equal(Utc("2025-03-09T07:00:00Z"), policy.SendByDeadline(NewYorker, Proposal(Utc("2025-03-09T06:30:00Z"))));
        Assert.Equal(PolicyReason.QuietHours, policy.Evaluate(NewYorker, [], Proposal(Utc("2025-03-09T07:00:00Z"))).Reason);
    }

    [Fact]
    public void WindowStartingInTheAutumnOverlapOpensTwice()
    {
        var policy = UsWindow(1, 30, 21, 0);

        // 01:30 EDT, then the clocks fall back to 01:00 EST (outside again) until 01:30 EST.
        Assert.Equal(Utc("2025-11-02T05:30:00Z"), policy.NextAllowed(NewYorker, [], Proposal(Utc("2025-11-02T04:00:00Z"))).At);
        Assert.True(policy.Evaluate(NewYorker, [], Proposal(Utc("2025-11-02T05:59:00Z"))).Allowed);
        Assert.Equal(PolicyReason.QuietHours, policy.Evaluate(NewYorker, [], Proposal(Utc("2025-11-02T06:00:00Z"))).Reason);
        Assert.Equal(Utc("2025-11-02T06:30:00Z"), policy.NextAllowed(NewYorker, [], Proposal(Utc("2025-11-02T06:00:00Z"))).At);
        Assert.Equal(Utc("2025-11-02T06:00:00Z"), policy.SendByDeadline(NewYorker, Proposal(Utc("2025-11-02T05:45:00Z"))));
    }

    [Fact]
    public void WindowEndingInTheAutumnOverlapClosesAtItsFirstOccurrence()
    {
        var policy = UsWindow(0, 30, 1, 30);

        Assert.Equal(Utc("2025-11-02T05:30:00Z"), policy.SendByDeadline(NewYorker, Proposal(Utc("2025-11-02T05:00:00Z"))));
        // After the fall-back, 01:00–01:30 EST is inside the window again.
        Assert.True(policy.Evaluate(NewYorker, [], Proposal(Utc("2025-11-02T06:10:00Z"))).Allowed);
        Assert.Equal(Utc("2025-11-02T06:00:00Z"), policy.NextAllowed(NewYorker, [], Proposal(Utc("2025-11-02T05:40:00Z"))).At);
    }

    [Fact]
    public void DailyCapResetsAtLocalMidnightOfTheLongDay()
    {
        var calls = new[] { "2025-11-02T13:00:00Z", "2025-11-02T15:00:00Z", "2025-11-02T17:00:00Z" }.Select(t => Call(Utc(t))).ToArray();
        var policy = UsWindow(0, 0, 23, 0);

        var next = policy.NextAllowed(NewYorker, calls, Proposal(Utc("2025-11-02T20:00:00Z"), Common.Channel.Call));

        Assert.Equal(Utc("2025-11-03T05:00:00Z"), next.At); // midnight EST after a 25-hour day
    }
}
