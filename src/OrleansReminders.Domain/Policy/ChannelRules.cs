using NodaTime;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// Frequency rules for collection messages on one channel. A null cap means "no cap". Caps count only
/// collection contacts (transactional messages neither count nor are capped).
/// </summary>
public sealed record ChannelRules
{
    /// <summary>At most this many per local calendar day (primary time zone).</summary>
    public int? PerDay { get; init; }

    /// <summary>At most this many per calendar week (starting on <see cref="ContactPolicySettings.WeekStartsOn"/>).</summary>
    public int? PerCalendarWeek { get; init; }

    /// <summary>At most this many in any rolling 7 × 24 hours.</summary>
    public int? Rolling7Days { get; init; }

    /// <summary>Minimum time between two collection contacts on this channel.</summary>
    public Duration MinimumGap { get; init; } = Duration.Zero;

    /// <summary>Urgent messages may go beyond <see cref="PerCalendarWeek"/> (never beyond the other caps).</summary>
    public bool UrgentMayExceedWeeklyCap { get; init; }

    /// <summary>
    /// When false (agency hand-off) the channel is not a contact with the borrower: contact hours, holidays,
    /// birthdays, the preferred window and the cross-channel gaps do not apply; flags and this channel's caps do.
    /// </summary>
    public bool ContactRulesApply { get; init; } = true;
}
