using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Policy;

/// <summary>A rule's verdict at one instant: the reason it blocks and when it could clear (null: never).</summary>
internal readonly record struct Verdict(PolicyReason Reason, Instant? ClearsAt)
{
    public static Verdict Pass => new(PolicyReason.Allowed, null);

    public bool Allowed => Reason == PolicyReason.Allowed;
}

/// <summary>
/// The rules, checked in order: absolute flags, quiet hours, calendar coverage, holidays, weekends, birthday,
/// preferred window, gaps and caps. Transactional messages stop after quiet hours: days and caps are collection rules.
/// Only records at or before the instant count ("already happened").
/// </summary>
internal static class PolicyRules
{
    private static readonly Duration Week = Duration.FromDays(7);

    public static Verdict Check(PolicyContext c, Instant t)
    {
        if (c.AbsoluteBlock is { } absolute)
        {
            return new Verdict(absolute, null);
        }

        var verdict = c.ContactRulesApply ? CheckTime(c, t) : Verdict.Pass;
        if (!verdict.Allowed || c.Kind == MessageKind.Transactional)
        {
            return verdict;
        }

        return CheckCaps(c, t);
    }

    private static Verdict CheckTime(PolicyContext c, Instant t)
    {
        foreach (var zone in c.WindowZones)
        {
            if (!c.Jurisdiction.AllowedWindow.Contains(t.InZone(zone).TimeOfDay))
            {
                return new Verdict(PolicyReason.QuietHours, ZoneMath.NextEntry(zone, c.Jurisdiction.AllowedWindow, t));
            }
        }

        if (c.Kind == MessageKind.Transactional)
        {
            return Verdict.Pass;
        }

        var local = t.InZone(c.Primary).LocalDateTime;
        var nextDay = ZoneMath.StartOfDay(c.Primary, local.Date.PlusDays(1));
        if (CheckDay(c, local.Date) is { } day)
        {
            return new Verdict(day, nextDay);
        }

        if (c.Settings.SkipBirthdays && c.Profile.Birthday is { } birthday && birthday.InYear(local.Year) == local.Date)
        {
            return new Verdict(PolicyReason.Birthday, nextDay);
        }

        if (c.Preferred is { } preferred && !preferred.Contains(local.TimeOfDay))
        {
            return new Verdict(PolicyReason.OutsidePreferredWindow, ZoneMath.NextEntry(c.Primary, preferred, t));
        }

        return Verdict.Pass;
    }

    /// <summary>
    /// The day rules: a date the calendar does not cover is unknown, not "no holiday" (held unless the lender
    /// allows it), then holidays, then weekends (make-up working days count as working days). Each clears at the
    /// next local day start, so a search or a planner looks again at least daily.
    /// </summary>
    private static PolicyReason? CheckDay(PolicyContext c, LocalDate date)
    {
        var calendar = c.Calendar;
        if (c.Settings.SkipHolidays && calendar is not null)
        {
            if (!calendar.Covers(date))
            {
                if (c.Settings.OnUncoveredDate == UncoveredDateAction.Hold)
                {
                    return PolicyReason.CalendarNotCovered;
                }
            }
            else if (calendar.IsHoliday(date))
            {
                return PolicyReason.Holiday;
            }
        }

        var weekend = date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
        return c.AvoidWeekends && weekend && calendar?.IsMakeUpWorkday(date) != true ? PolicyReason.Weekend : null;
    }

    private static Verdict CheckCaps(PolicyContext c, Instant t)
    {
        var verdict = CheckGaps(c, t);
        if (!verdict.Allowed)
        {
            return verdict;
        }

        var today = t.InZone(c.Primary).Date;
        var rules = c.ChannelRules;
        var tomorrow = ZoneMath.StartOfDay(c.Primary, today.PlusDays(1));
        if (rules.PerDay is { } perDay && CountSince(c.ChannelTimes, ZoneMath.StartOfDay(c.Primary, today), t) >= perDay)
        {
            return new Verdict(PolicyReason.DailyCap, tomorrow);
        }

        if (c.Channel == Channel.Call && c.Jurisdiction.MaxConnectedCallsPerDay is { } connected
            && CountSince(c.ConnectedCallTimes, ZoneMath.StartOfDay(c.Primary, today), t) >= connected)
        {
            return new Verdict(PolicyReason.ConnectedCallDailyCap, tomorrow);
        }

        return CheckWeekly(c, t, today) is { Allowed: false } weekly ? weekly : CheckRolling(c, t);
    }

    private static Verdict CheckGaps(PolicyContext c, Instant t)
    {
        if (Last(c.ChannelTimes, t) is { } lastHere && t < lastHere + c.ChannelRules.MinimumGap)
        {
            return new Verdict(PolicyReason.MinimumGap, lastHere + c.ChannelRules.MinimumGap);
        }

        if (!c.ContactRulesApply || Last(c.ContactTimes, t) is not { } last)
        {
            return Verdict.Pass;
        }

        if (t < last + c.Settings.MinimumGapAnyChannel)
        {
            return new Verdict(PolicyReason.MinimumGap, last + c.Settings.MinimumGapAnyChannel);
        }

        if (c.Jurisdiction.MinCollectionCycleGapDays is { } gapDays)
        {
            var lastDay = last.InZone(c.Primary).Date;
            var today = t.InZone(c.Primary).Date;
            if (lastDay != today && today < lastDay.PlusDays(gapDays))
            {
                return new Verdict(PolicyReason.CycleGap, ZoneMath.StartOfDay(c.Primary, lastDay.PlusDays(gapDays)));
            }
        }

        return Verdict.Pass;
    }

    private static Verdict CheckWeekly(PolicyContext c, Instant t, LocalDate today)
    {
        var rules = c.ChannelRules;
        if (rules.PerCalendarWeek is not { } perWeek || (c.Urgency == Urgency.Urgent && rules.UrgentMayExceedWeeklyCap))
        {
            return Verdict.Pass;
        }

        var weekStart = today.With(DateAdjusters.PreviousOrSame(c.Settings.WeekStartsOn));
        return CountSince(c.ChannelTimes, ZoneMath.StartOfDay(c.Primary, weekStart), t) >= perWeek
            ? new Verdict(PolicyReason.WeeklyCap, ZoneMath.StartOfDay(c.Primary, weekStart.PlusDays(7)))
            : Verdict.Pass;
    }

    private static Verdict CheckRolling(PolicyContext c, Instant t)
    {
        if (c.RollingCap is not { } cap)
        {
            return Verdict.Pass;
        }

        var times = c.ChannelTimes;
        var end = UpperBound(times, t);
        var start = UpperBound(times, t - Week);
        var count = end - start;
        if (count < cap)
        {
            return Verdict.Pass;
        }

        // The count falls below the cap once the (count - cap + 1)-th oldest record in the window leaves it.
        return new Verdict(PolicyReason.Rolling7DayCap, times[start + count - cap] + Week);
    }

    /// <summary>Records in [from, t].</summary>
    internal static int CountSince(Instant[] times, Instant from, Instant t) =>
        Math.Max(0, UpperBound(times, t) - LowerBound(times, from));

    internal static Instant? Last(Instant[] times, Instant t)
    {
        var index = UpperBound(times, t);
        return index == 0 ? null : times[index - 1];
    }

    /// <summary>Index of the first element greater than <paramref name="value"/>.</summary>
    internal static int UpperBound(Instant[] times, Instant value)
    {
        int lo = 0, hi = times.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (times[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Index of the first element not less than <paramref name="value"/>.</summary>
    private static int LowerBound(Instant[] times, Instant value)
    {
        int lo = 0, hi = times.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (times[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
