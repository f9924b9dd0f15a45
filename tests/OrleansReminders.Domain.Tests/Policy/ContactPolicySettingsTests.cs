using System.Text.Json;
using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;

namespace OrleansReminders.Domain.Tests.Policy;

public sealed class ContactPolicySettingsTests
{
    private static PolicyParseResult<ContactPolicySettings> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ContactPolicySettings.FromJson(document.RootElement, "contactPolicy");
    }

    [Fact]
    public void DefaultsFollowTheDesign()
    {
        var settings = ContactPolicySettings.Default;

        Assert.Empty(settings.Validate("contactPolicy"));
        Assert.Equal(TimeWindow.Of(8, 22), settings.RulesFor("CN").AllowedWindow);
        Assert.Equal(3, settings.RulesFor("CN").MaxConnectedCallsPerDay);
        Assert.Equal(7, settings.RulesFor("CN").MinCollectionCycleGapDays);
        Assert.Equal(TimeWindow.Of(8, 21), settings.RulesFor("us").AllowedWindow);
        Assert.Equal(7, settings.RulesFor("US").MaxCallAttemptsRolling7Days);
        Assert.True(settings.RulesFor("US").RequireOptOutText);
        Assert.Equal(TimeWindow.Of(8, 19), settings.RulesFor("IN").AllowedWindow);
        Assert.Equal(TimeWindow.Of(8, 22), settings.RulesFor("FR").AllowedWindow);
        Assert.Equal(TimeWindow.Of(9, 17), settings.PreferredWindow);
        Assert.Equal(1, settings.RulesFor(Channel.Sms).PerCalendarWeek);
        Assert.Equal(Duration.FromDays(30), settings.SearchHorizon);
    }

    [Fact]
    public void EmptyJsonGivesTheDefaults()
    {
        var result = Parse("{}");

        Assert.True(result.IsValid);
        Assert.Equal(TimeWindow.Of(9, 17), result.Value!.PreferredWindow);
        Assert.Equal(TimeWindow.Of(18, 20), result.Value.PreferredWindowFor("student"));
    }

    [Fact]
    public void JsonOverridesOnlyWhatItNames()
    {
        var result = Parse("""
        {
          "preferredWindow": { "start": "10:00", "end": "16:30" },
          "channels": { "sms": { "perCalendarWeek": 2, "rolling7Days": null }, "call": { "minimumGap": "00:30:00" } },
          "jurisdictions": { "US": { "maxCallAttemptsRolling7Days": 5 }, "BR": { "allowedWindow": { "start": "08:00", "end": "20:00" } } },
          "segmentWindows": { "nightShift": { "start": "12:00", "end": "14:00" } },
          "minimumGapAnyChannel": "02:00:00",
          "weekStartsOn": "sunday",
          "searchHorizon": "14.00:00:00",
          "skipBirthdays": false
        }
        """);

        var settings = result.GetValueOrThrow();
        Assert.Equal(new TimeWindow(new LocalTime(10, 0), new LocalTime(16, 30)), settings.PreferredWindow);
        Assert.Equal(2, settings.RulesFor(Channel.Sms).PerCalendarWeek);
        Assert.Equal(1, settings.RulesFor(Channel.Sms).PerDay);
        Assert.Null(settings.RulesFor(Channel.Sms).Rolling7Days);
        Assert.Equal(Duration.FromMinutes(30), settings.RulesFor(Channel.Call).MinimumGap);
        Assert.Equal(3, settings.RulesFor(Channel.Call).PerDay);
        Assert.Equal(5, settings.RulesFor("US").MaxCallAttemptsRolling7Days);
        Assert.Equal(TimeWindow.Of(8, 21), settings.RulesFor("US").AllowedWindow);
        Assert.Equal(TimeWindow.Of(8, 20), settings.RulesFor("BR").AllowedWindow);
        Assert.Equal(3, settings.RulesFor("CN").MaxConnectedCallsPerDay);
        Assert.Equal(TimeWindow.Of(12, 14), settings.PreferredWindowFor("NIGHTSHIFT"));
        Assert.Equal(Duration.FromHours(2), settings.MinimumGapAnyChannel);
        Assert.Equal(IsoDayOfWeek.Sunday, settings.WeekStartsOn);
        Assert.Equal(Duration.FromDays(14), settings.SearchHorizon);
        Assert.False(settings.SkipBirthdays);
    }

    [Fact]
    public void EveryProblemIsReportedWithItsPath()
    {
        var result = Parse("""
        {
          "preferredWindow": { "start": "18:00", "end": "09:00" },
          "channels": { "sms": { "perDay": 0, "perWeek": 1 }, "fax": {} },
          "minimumGapAnyChannel": "soon",
          "jurisdictions": { "CN": { "allowedWindow": { "start": "25:00" }, "minCollectionCycleGapDays": 1.5 } },
          "weekStartsOn": "someday",
          "bogus": 1
        }
        """);

        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        var paths = result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            new[]
            {
                "contactPolicy.bogus",
                "contactPolicy.channels.fax",
                "contactPolicy.channels.sms.perDay",
                "contactPolicy.channels.sms.perWeek",
                "contactPolicy.jurisdictions.CN.allowedWindow.start",
                "contactPolicy.jurisdictions.CN.minCollectionCycleGapDays",
                "contactPolicy.minimumGapAnyChannel",
                "contactPolicy.preferredWindow",
                "contactPolicy.weekStartsOn",
            },
            paths);
        Assert.Contains(result.Errors, e => e.Path == "contactPolicy.preferredWindow" && e.Message.Contains("before end"));
        Assert.Contains(result.Errors, e => e.Path == "contactPolicy.channels.sms.perDay" && e.Message.Contains("≥ 1"));
    }

    [Fact]
    public void PreferredWindowMustLieInsideTheDefaultAllowedWindow()
    {
        var errors = (ContactPolicySettings.Default with { PreferredWindow = TimeWindow.Of(7, 12) }).Validate("p");

        Assert.Equal("p.preferredWindow", Assert.Single(errors).Path);
    }

    [Fact]
    public void TheDefaultPresetIsRequired()
    {
        var settings = ContactPolicySettings.Default with
        {
            Jurisdictions = new Dictionary<string, JurisdictionRules> { ["CN"] = new() },
        };

        var error = Assert.Throws<DomainValidationException>(() => new ContactPolicy(settings, HolidayCalendarSet.Empty));

        Assert.Equal("contactPolicy.jurisdictions", Assert.Single(error.Errors).Path);
    }

    [Fact]
    public void NonObjectJsonIsOneError()
    {
        var result = Parse("[1, 2]");

        Assert.Equal("contactPolicy", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void SearchHorizonIsBounded()
    {
        var errors = (ContactPolicySettings.Default with { SearchHorizon = Duration.FromDays(400) }).Validate("");

        Assert.Equal("searchHorizon", Assert.Single(errors).Path);
    }
}
