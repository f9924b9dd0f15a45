using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Policy;

/// <summary>What the contact policy needs to know about a borrower.</summary>
public sealed record ContactProfile
{
    /// <summary>
    /// Candidate IANA time zones (at least one). The first is the primary zone: local days, weeks, holidays,
    /// birthdays and the preferred window are reckoned there; allowed hours are checked in all of them when
    /// the jurisdiction says so.
    /// </summary>
    public required IReadOnlyList<string> TimeZoneIds { get; init; }

    /// <summary>Region code of the holiday calendar, e.g. "CN", "US", "IN"; null for none.</summary>
    public string? Region { get; init; }

    /// <summary>Jurisdiction preset code; when null the <see cref="Region"/> is used, then the default preset.</summary>
    public string? Jurisdiction { get; init; }

    /// <summary>Month and day of birth (29 February falls on 28 February in other years); null when unknown.</summary>
    public AnnualDate? Birthday { get; init; }

    /// <summary>Segment such as "student" or "freelancer", picking a preferred window.</summary>
    public string? Segment { get; init; }

    public ContactFlags Flags { get; init; } = ContactFlags.None;

    /// <summary>Problems with the profile (unknown or missing time zones), paths under <paramref name="pathPrefix"/>.</summary>
    public IReadOnlyList<FieldError> Validate(string pathPrefix)
    {
        var errors = new List<FieldError>();
        var path = PolicyPath.Join(pathPrefix, "timeZoneIds");
        if (TimeZoneIds is null || TimeZoneIds.Count == 0)
        {
            errors.Add(new FieldError(path, "must name at least one IANA time zone"));
            return errors;
        }

        for (var i = 0; i < TimeZoneIds.Count; i++)
        {
            if (TimeZoneIds[i] is null || DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZoneIds[i]) is null)
            {
                errors.Add(new FieldError(PolicyPath.Index(path, i), $"'{TimeZoneIds[i]}' is not an IANA time zone"));
            }
        }

        return errors;
    }
}

/// <summary>
/// Absolute stops: while any is set, collection contact is never allowed; nothing overrides them.
/// Opt-outs and <see cref="Deceased"/> also stop transactional messages.
/// </summary>
public sealed record ContactFlags
{
    public static ContactFlags None { get; } = new();

    public bool OptedOutAll { get; init; }

    /// <summary>Channels the borrower opted out of ("stop texting" ends SMS).</summary>
    public IReadOnlySet<Channel> OptedOutChannels { get; init; } = new HashSet<Channel>();

    public bool Dispute { get; init; }

    public bool Complaint { get; init; }

    public bool LegalHold { get; init; }

    public bool Deceased { get; init; }

    public bool Bankruptcy { get; init; }
}

/// <summary>Whether a message collects a debt (subject to every rule) or answers the borrower (transactional).</summary>
public enum MessageKind
{
    Collection,
    /// <summary>A reply, receipt or confirmation: only opt-outs, the deceased flag and quiet hours apply; it is never counted.</summary>
    Transactional,
}

/// <summary>How pressing a collection message is (set per ladder step).</summary>
public enum Urgency
{
    Normal,
    /// <summary>May exceed a channel's weekly cap (if configured) and the preferred window (if configured).</summary>
    Urgent,
}

/// <summary>
/// A contact that already happened. For calls, <c>Connected</c> means the borrower answered (CN caps connected
/// calls per day); every call record is an attempt.
/// </summary>
public sealed record ContactRecord(Channel Channel, Instant At, MessageKind Kind = MessageKind.Collection, bool Connected = false);

/// <summary>
/// A contact the caller would like to make at <c>At</c>. <c>Rules</c>, when given, replaces the settings' rules
/// for the channel (caps configured per tier and stage by the strategy).
/// </summary>
public sealed record ContactProposal(
    Instant At, Channel Channel, MessageKind Kind = MessageKind.Collection, Urgency Urgency = Urgency.Normal,
    ChannelRules? Rules = null);
