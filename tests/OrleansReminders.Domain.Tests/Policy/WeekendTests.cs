using System.Text.Json;
using OrleansReminders.Domain.Policy;
using static OrleansReminders.Domain.Tests.Policy.PolicyTestKit;

namespace OrleansReminders.Domain.Tests.Policy;

/// <summary>Weekends avoided per jurisdiction or segment; a calendar's make-up working days (CN 调休) are working days.</summary>
public sealed class WeekendTests
{
    private const string Shanghai = "Asia/Shanghai";
    private static readonly ContactProfile China = Profile("CN", Shanghai);
    private static readonly ContactPolicy ChinaAvoidsWeekends =
        PolicyWith(ContactPolicySettings.Default.With().Jurisdiction("CN", j => j with { AvoidWeekends = true }));

    [Fact]
    public void AnOrdinarySaturdayIsHeldUntilMondayMorning()
    {
        var saturday = Local(Shanghai, "2026-02-07T10:00");

        var decision = ChinaAvoidsWeekends.Evaluate(China, [], Proposal(saturday));
        var next = ChinaAvoidsWeekends.NextAllowed(China, [], Proposal(saturday));

        Assert.Equal(PolicyReason.Weekend, decision.Reason);
        Assert.False(decision.IsAbsolute);
        Assert.Contains("2026-02-07 is a Saturday", decision.Explanation, StringComparison.Ordinal);
        Assert.Equal(Local(Shanghai, "2026-02-09T09:00"), next.At);
    }

    [Theory]
    [InlineData("2026-02-14T10:00")] // Saturday worked before the Spring Festival
    [InlineData("2026-02-28T10:00")] // Saturday worked after it
    [InlineData("2026-01-04T10:00")] // Sunday worked after New Year's Day
    public void AMakeUpWorkingDayIsAWorkingDay(string local)
    {
        Assert.True(ChinaAvoidsWeekends.Evaluate(China, [], Proposal(Local(Shanghai, local))).Allowed);
    }

    [Fact]
    public void WithoutTheRuleWeekendsAreOrdinaryDays()
    {
        Assert.True(DefaultPolicy.Evaluate(China, [], Proposal(Local(Shanghai, "2026-02-07T10:00"))).Allowed);
    }

    [Fact]
    public void ASegmentSettingOverridesTheJurisdiction()
    {
        var settings = ContactPolicySettings.Default.With().Jurisdiction("CN", j => j with { AvoidWeekends = true }) with
        {
            SegmentAvoidWeekends = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase) { ["student"] = false, ["retired"] = true },
        };
        var saturday = Local(Shanghai, "2026-02-07T18:30");
        var policy = PolicyWith(settings);

        Assert.True(policy.Evaluate(China with { Segment = "Student" }, [], Proposal(saturday)).Allowed);
        Assert.Equal(PolicyReason.Weekend, policy.Evaluate(China, [], Proposal(saturday)).Reason);
        Assert.Equal(PolicyReason.Weekend,
            policy.Evaluate(Profile("DE", "Europe/Berlin") with { Segment = "retired" }, [], Proposal(Local("Europe/Berlin", "2026-02-07T10:00"))).Reason);
    }

    [Fact]
    public void AHolidayIsReportedBeforeTheWeekend()
    {
        // 2026-02-21 is a Saturday inside the Spring Festival.
        Assert.Equal(PolicyReason.Holiday, ChinaAvoidsWeekends.Evaluate(China, [], Proposal(Local(Shanghai, "2026-02-21T10:00"))).Reason);
    }

    [Fact]
    public void BothSettingsBindFromTheContactPolicySection()
    {
        using var json = JsonDocument.Parse("""
            { "jurisdictions": { "CN": { "avoidWeekends": true } }, "segmentAvoidWeekends": { "student": false } }
            """);

        var settings = ContactPolicySettings.FromJson(json.RootElement, "contactPolicy").GetValueOrThrow();

        Assert.True(settings.RulesFor("CN").AvoidWeekends);
        Assert.False(settings.RulesFor("US").AvoidWeekends);
        Assert.False(settings.SegmentAvoidWeekends["STUDENT"]);
        Assert.Equal(3, settings.RulesFor("CN").MaxConnectedCallsPerDay); // the rest of the preset is kept
    }

    [Fact]
    public void ANonBooleanIsAnError()
    {
        using var json = JsonDocument.Parse("""{ "segmentAvoidWeekends": { "student": "yes" } }""");

        var error = Assert.Single(ContactPolicySettings.FromJson(json.RootElement, "contactPolicy").Errors);
        Assert.Equal("contactPolicy.segmentAvoidWeekends.student", error.Path);
    }
}
