using NodaTime;
using NodaTime.Text;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;

namespace OrleansReminders.Domain.Tests.Policy;

/// <summary>Shared builders for contact-policy tests.</summary>
internal static class PolicyTestKit
{
    public static readonly HolidayCalendarSet Calendars = HolidayCalendarSet.LoadShipped();

    private static readonly LocalDateTimePattern MinutePattern =
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

    public static readonly ContactPolicy DefaultPolicy = new(ContactPolicySettings.Default, Calendars);

    public static ContactPolicy PolicyWith(ContactPolicySettings settings) => new(settings, Calendars);

    /// <summary>Default settings with the preferred window switched off, so only the allowed hours matter.</summary>
    public static ContactPolicySettings AllowedHoursOnly => ContactPolicySettings.Default with { EnforcePreferredWindow = false };

    public static ContactProfile Profile(string region, params string[] zones) =>
        new() { TimeZoneIds = zones, Region = region };

    public static Instant Utc(string text) => InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();

    /// <summary>A local date-time in a zone; throws if it is skipped or ambiguous (tests must say which they mean).</summary>
    public static Instant Local(string zoneId, string localText)
    {
        var local = MinutePattern.Parse(localText).GetValueOrThrow();
        return DateTimeZoneProviders.Tzdb[zoneId].AtStrictly(local).ToInstant();
    }

    public static ContactRecord Sms(Instant at) => new(Channel.Sms, at);

    public static ContactRecord Call(Instant at, bool connected = false) => new(Channel.Call, at, Connected: connected);

    public static ContactProposal Proposal(Instant at, Channel channel = Channel.Sms, Urgency urgency = Urgency.Normal) =>
        new(at, channel, MessageKind.Collection, urgency);

    public static ContactSettingsBuilder With(this ContactPolicySettings settings) => new(settings);
}

/// <summary>Small helpers to change one channel or jurisdiction in settings.</summary>
internal sealed record ContactSettingsBuilder(ContactPolicySettings Settings)
{
    public ContactPolicySettings Channel(Channel channel, Func<ChannelRules, ChannelRules> change)
    {
        var channels = new Dictionary<Channel, ChannelRules>(Settings.Channels) { [channel] = change(Settings.RulesFor(channel)) };
        return Settings with { Channels = channels };
    }

    public ContactPolicySettings Jurisdiction(string code, Func<JurisdictionRules, JurisdictionRules> change)
    {
        var presets = new Dictionary<string, JurisdictionRules>(Settings.Jurisdictions, StringComparer.OrdinalIgnoreCase)
        {
            [code] = change(Settings.RulesFor(code)),
        };
        return Settings with { Jurisdictions = presets };
    }
}
