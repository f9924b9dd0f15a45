using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;

namespace OrleansReminders.Domain.Tests.Policy;

/// <summary>
/// A deliberately naive re-statement of the contact rules (local dates and LINQ counts, no search, no binary
/// search), used as the oracle for the property tests. Returns every rule the instant breaks.
/// </summary>
internal static class ReferenceRules
{
    public static List<PolicyReason> Violations(
        ContactPolicySettings s, HolidayCalendarSet calendars, ContactProfile p, IReadOnlyList<ContactRecord> history,
        ContactProposal proposal, Instant t)
    {
        var broken = new List<PolicyReason>();
        Flags(p.Flags, proposal, broken);
        var code = new[] { p.Jurisdiction, p.Region }.FirstOrDefault(c => c is not null && s.Jurisdictions.ContainsKey(c))
            ?? ContactPolicySettings.DefaultJurisdiction;
        var law = s.Jurisdictions[code];
        var channel = proposal.Rules ?? (s.Channels.TryGetValue(proposal.Channel, out var rules) ? rules : new ChannelRules());
        var collection = proposal.Kind == MessageKind.Collection;
        var zones = p.TimeZoneIds.Select(id => DateTimeZoneProviders.Tzdb[id]).ToList();
        var primary = zones[0];
        var local = t.InZone(primary).LocalDateTime;
        if (channel.ContactRulesApply)
        {
            var checkedZones = law.AllCandidateZones ? zones : [primary];
            if (checkedZones.Any(z => !Inside(law.AllowedWindow, t.InZone(z).TimeOfDay)))
            {
                broken.Add(PolicyReason.QuietHours);
            }

            if (collection)
            {
                Days(s, law, calendars, p, local.Date, broken);
                Preferred(s, p, proposal, law, local.TimeOfDay, broken);
            }
        }

        if (collection)
        {
            Caps(s, law, channel, proposal, history, primary, t, broken);
        }

        return broken;
    }

    private static void Flags(ContactFlags f, ContactProposal proposal, List<PolicyReason> broken)
    {
        if (f.Deceased) { broken.Add(PolicyReason.Deceased); }
        if (f.OptedOutAll || f.OptedOutChannels.Contains(proposal.Channel)) { broken.Add(PolicyReason.OptedOut); }
        if (proposal.Kind == MessageKind.Transactional) { return; }
        if (f.LegalHold) { broken.Add(PolicyReason.LegalHold); }
        if (f.Bankruptcy) { broken.Add(PolicyReason.Bankruptcy); }
        if (f.Dispute) { broken.Add(PolicyReason.Dispute); }
        if (f.Complaint) { broken.Add(PolicyReason.Complaint); }
    }

    private static void Days(
        ContactPolicySettings s, JurisdictionRules law, HolidayCalendarSet calendars, ContactProfile p, LocalDate date, List<PolicyReason> broken)
    {
        var calendar = p.Region is null
            ? null
            : calendars.Calendars.FirstOrDefault(c => string.Equals(c.Region, p.Region, StringComparison.OrdinalIgnoreCase));
        if (s.SkipHolidays && calendar is not null)
        {
            var covered = date >= calendar.CoverageStart && (calendar.CoverageEnd is null || date <= calendar.CoverageEnd);
            if (!covered && s.OnUncoveredDate == UncoveredDateAction.Hold)
            {
                broken.Add(PolicyReason.CalendarNotCovered);
            }

            if (covered && calendar.HolidaysIn(date.Year).ContainsKey(date))
            {
                broken.Add(PolicyReason.Holiday);
            }
        }

        var avoidWeekends = p.Segment is not null && s.SegmentAvoidWeekends.TryGetValue(p.Segment, out var avoid) ? avoid : law.AvoidWeekends;
        if (avoidWeekends && date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday && calendar?.IsMakeUpWorkday(date) != true)
        {
            broken.Add(PolicyReason.Weekend);
        }

        if (s.SkipBirthdays && p.Birthday is { } b && b.InYear(date.Year) == date)
        {
            broken.Add(PolicyReason.Birthday);
        }
    }

    private static void Preferred(
        ContactPolicySettings s, ContactProfile p, ContactProposal proposal, JurisdictionRules law, LocalTime time, List<PolicyReason> broken)
    {
        if (!s.EnforcePreferredWindow || (proposal.Urgency == Urgency.Urgent && s.UrgentIgnoresPreferredWindow))
        {
            return;
        }

        var window = p.Segment is not null && s.SegmentWindows.TryGetValue(p.Segment, out var w) ? w : s.PreferredWindow;
        var start = window.Start > law.AllowedWindow.Start ? window.Start : law.AllowedWindow.Start;
        var end = window.End < law.AllowedWindow.End ? window.End : law.AllowedWindow.End;
        if (start < end && !(time >= start && time < end))
        {
            broken.Add(PolicyReason.OutsidePreferredWindow);
        }
    }

    private static void Caps(
        ContactPolicySettings s, JurisdictionRules law, ChannelRules channel, ContactProposal proposal,
        IReadOnlyList<ContactRecord> history, DateTimeZone primary, Instant t, List<PolicyReason> broken)
    {
        var past = history.Where(r => r.Kind == MessageKind.Collection && r.At <= t).ToList();
        var same = past.Where(r => r.Channel == proposal.Channel).ToList();
        var today = t.InZone(primary).Date;
        if (same.Any(r => t - r.At < channel.MinimumGap)) { broken.Add(PolicyReason.MinimumGap); }
        if (channel.ContactRulesApply)
        {
            var contacts = past.Where(r => !s.Channels.TryGetValue(r.Channel, out var c) || c.ContactRulesApply).ToList();
            if (contacts.Any(r => t - r.At < s.MinimumGapAnyChannel)) { broken.Add(PolicyReason.MinimumGap); }
            if (law.MinCollectionCycleGapDays is { } gap && contacts.Count > 0)
            {
                var lastDay = contacts.Max(r => r.At).InZone(primary).Date;
                if (lastDay != today && Period.Between(lastDay, today, PeriodUnits.Days).Days < gap) { broken.Add(PolicyReason.CycleGap); }
            }
        }

        if (channel.PerDay is { } perDay && same.Count(r => r.At.InZone(primary).Date == today) >= perDay)
        {
            broken.Add(PolicyReason.DailyCap);
        }

        if (proposal.Channel == Channel.Call && law.MaxConnectedCallsPerDay is { } connected
            && same.Count(r => r.Connected && r.At.InZone(primary).Date == today) >= connected)
        {
            broken.Add(PolicyReason.ConnectedCallDailyCap);
        }

        var weekStart = today.PlusDays(-(((int)today.DayOfWeek - (int)s.WeekStartsOn + 7) % 7));
        if (channel.PerCalendarWeek is { } perWeek && !(proposal.Urgency == Urgency.Urgent && channel.UrgentMayExceedWeeklyCap)
            && same.Count(r => r.At.InZone(primary).Date >= weekStart) >= perWeek)
        {
            broken.Add(PolicyReason.WeeklyCap);
        }

        var caps = new[] { channel.Rolling7Days, proposal.Channel == Channel.Call ? law.MaxCallAttemptsRolling7Days : null };
        if (caps.Where(c => c is not null).Select(c => c!.Value).DefaultIfEmpty(int.MaxValue).Min() is var cap
            && same.Count(r => r.At > t - Duration.FromDays(7)) >= cap)
        {
            broken.Add(PolicyReason.Rolling7DayCap);
        }
    }

    private static bool Inside(TimeWindow w, LocalTime time) => time >= w.Start && time < w.End;
}
