using System.Globalization;
using NodaTime;

namespace OrleansReminders.Domain.Policy;

/// <summary>Human text for a verdict, built only for the decision that is returned (never inside the search loop).</summary>
internal static class PolicyExplanation
{
    public static string Explain(PolicyContext c, Instant t, Verdict verdict)
    {
        var local = t.InZone(c.Primary).LocalDateTime;
        var channel = c.Channel.ToString().ToUpperInvariant();
        var rules = c.ChannelRules;
        var text = verdict.Reason switch
        {
            PolicyReason.Allowed => $"{channel} contact allowed at {Format(local)} ({c.Primary.Id}, jurisdiction {c.JurisdictionCode}).",
            PolicyReason.QuietHours => QuietHours(c, t),
            PolicyReason.OutsidePreferredWindow =>
                $"{Format(local)} ({c.Primary.Id}) is outside the preferred window {c.Preferred}.",
            PolicyReason.Holiday => $"{Day(local.Date)} is a public holiday in {c.Calendar?.Region}: {c.Calendar?.HolidayName(local.Date)}.",
            PolicyReason.CalendarNotCovered =>
                $"{Day(local.Date)} lies outside the {c.Calendar?.Region} holiday calendar (it covers {c.Calendar?.CoverageText}): "
                + "whether it is a holiday is unknown, so collection contact is held (OnUncoveredDate = Hold); load a calendar that covers it.",
            PolicyReason.Weekend =>
                $"{Day(local.Date)} is a {local.Date.DayOfWeek} and weekends are avoided for this borrower "
                + $"(jurisdiction {c.JurisdictionCode}{(c.Profile.Segment is { } segment ? $", segment {segment}" : "")}).",
            PolicyReason.Birthday => $"{Day(local.Date)} is the borrower's birthday.",
            PolicyReason.DailyCap => $"Daily cap of {rules.PerDay} collection {channel} contact(s) reached on {Day(local.Date)}.",
            PolicyReason.ConnectedCallDailyCap =>
                $"Cap of {c.Jurisdiction.MaxConnectedCallsPerDay} connected calls a day reached ({c.JurisdictionCode}).",
            PolicyReason.WeeklyCap => $"Weekly cap of {rules.PerCalendarWeek} collection {channel} contact(s) reached.",
            PolicyReason.Rolling7DayCap => $"Cap of {c.RollingCap} collection {channel} contact(s) in any 7 days reached.",
            PolicyReason.MinimumGap => "Too soon after the previous collection contact (minimum gap).",
            PolicyReason.CycleGap =>
                $"Collection cycles must be at least {c.Jurisdiction.MinCollectionCycleGapDays} days apart ({c.JurisdictionCode}).",
            PolicyReason.OptedOut => $"The borrower opted out of {channel} contact; nothing overrides an opt-out.",
            _ => $"Collection contact is stopped: {verdict.Reason} flag is set.",
        };
        return verdict.ClearsAt is { } clears && !verdict.Allowed
            ? $"{text} Not before {Format(clears.InZone(c.Primary).LocalDateTime)} ({c.Primary.Id})."
            : text;
    }

    private static string QuietHours(PolicyContext c, Instant t)
    {
        var window = c.Jurisdiction.AllowedWindow;
        var zone = c.WindowZones.First(z => !window.Contains(t.InZone(z).TimeOfDay));
        return $"{Format(t.InZone(zone).LocalDateTime)} in {zone.Id} is inside quiet hours "
            + $"(allowed {window}, jurisdiction {c.JurisdictionCode}).";
    }

    private static string Format(LocalDateTime local) =>
        local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Day(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
