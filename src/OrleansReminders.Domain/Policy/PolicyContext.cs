using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Policy;

/// <summary>Everything about one (profile, history, proposal) resolved once, so many instants can be checked cheaply.</summary>
internal sealed class PolicyContext
{
    public required ContactPolicySettings Settings { get; init; }
    public required ContactProfile Profile { get; init; }
    public required Channel Channel { get; init; }
    public required MessageKind Kind { get; init; }
    public required Urgency Urgency { get; init; }
    public required string JurisdictionCode { get; init; }
    public required JurisdictionRules Jurisdiction { get; init; }
    public required ChannelRules ChannelRules { get; init; }
    public required DateTimeZone Primary { get; init; }

    /// <summary>Zones in which the allowed window must hold.</summary>
    public required DateTimeZone[] WindowZones { get; init; }

    /// <summary>The holiday calendar of the borrower's region (null when there is none).</summary>
    public required HolidayCalendar? Calendar { get; init; }

    /// <summary>Saturdays and Sundays that are not make-up working days block collection contact.</summary>
    public required bool AvoidWeekends { get; init; }

    /// <summary>The preferred window in force (already clipped to the allowed window), or null.</summary>
    public required TimeWindow? Preferred { get; init; }

    public required PolicyReason? AbsoluteBlock { get; init; }

    /// <summary>Sorted instants of collection contacts on the proposal's channel.</summary>
    public required Instant[] ChannelTimes { get; init; }

    /// <summary>Sorted instants of connected collection calls.</summary>
    public required Instant[] ConnectedCallTimes { get; init; }

    /// <summary>Sorted instants of collection contacts on every channel the contact rules apply to.</summary>
    public required Instant[] ContactTimes { get; init; }

    /// <summary>Sorted instants of every collection record (a record appearing can change a verdict).</summary>
    public required Instant[] AllTimes { get; init; }

    public int? RollingCap { get; init; }

    public bool ContactRulesApply => ChannelRules.ContactRulesApply;

    public static PolicyContext Create(
        ContactPolicySettings settings, HolidayCalendarSet calendars, ContactProfile profile,
        IReadOnlyList<ContactRecord> history, ContactProposal proposal)
    {
        var errors = profile.Validate("profile");
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var zones = profile.TimeZoneIds.Select(id => DateTimeZoneProviders.Tzdb[id]).ToArray();
        var code = ResolveJurisdiction(settings, profile);
        var jurisdiction = settings.RulesFor(code);
        var channelRules = proposal.Rules ?? settings.RulesFor(proposal.Channel);
        var collection = history.Where(r => r.Kind == MessageKind.Collection).ToArray();
        return new PolicyContext
        {
            Settings = settings,
            Profile = profile,
            Channel = proposal.Channel,
            Kind = proposal.Kind,
            Urgency = proposal.Urgency,
            JurisdictionCode = code,
            Jurisdiction = jurisdiction,
            ChannelRules = channelRules,
            Primary = zones[0],
            WindowZones = jurisdiction.AllCandidateZones ? zones : [zones[0]],
            Calendar = calendars.For(profile.Region),
            AvoidWeekends = settings.AvoidsWeekends(jurisdiction, profile.Segment),
            Preferred = PreferredWindow(settings, jurisdiction, profile, proposal),
            AbsoluteBlock = AbsoluteBlockOf(profile.Flags, proposal),
            ChannelTimes = Sorted(collection.Where(r => r.Channel == proposal.Channel)),
            ConnectedCallTimes = Sorted(collection.Where(r => r.Channel == Channel.Call && r.Connected)),
            ContactTimes = Sorted(collection.Where(r => settings.RulesFor(r.Channel).ContactRulesApply)),
            AllTimes = Sorted(collection),
            RollingCap = RollingCapOf(channelRules, jurisdiction, proposal.Channel),
        };
    }

    private static string ResolveJurisdiction(ContactPolicySettings settings, ContactProfile profile)
    {
        foreach (var code in new[] { profile.Jurisdiction, profile.Region })
        {
            if (code is not null && settings.Jurisdictions.ContainsKey(code))
            {
                return code;
            }
        }

        return ContactPolicySettings.DefaultJurisdiction;
    }

    private static TimeWindow? PreferredWindow(
        ContactPolicySettings settings, JurisdictionRules jurisdiction, ContactProfile profile, ContactProposal proposal)
    {
        var applies = settings.EnforcePreferredWindow
            && proposal.Kind == MessageKind.Collection
            && !(proposal.Urgency == Urgency.Urgent && settings.UrgentIgnoresPreferredWindow);
        return applies ? settings.PreferredWindowFor(profile.Segment).Intersect(jurisdiction.AllowedWindow) : null;
    }

    private static PolicyReason? AbsoluteBlockOf(ContactFlags flags, ContactProposal proposal)
    {
        if (flags.Deceased)
        {
            return PolicyReason.Deceased;
        }

        if (flags.OptedOutAll || flags.OptedOutChannels.Contains(proposal.Channel))
        {
            return PolicyReason.OptedOut;
        }

        if (proposal.Kind == MessageKind.Transactional)
        {
            return null;
        }

        return flags.LegalHold ? PolicyReason.LegalHold
            : flags.Bankruptcy ? PolicyReason.Bankruptcy
            : flags.Dispute ? PolicyReason.Dispute
            : flags.Complaint ? PolicyReason.Complaint
            : null;
    }

    private static int? RollingCapOf(ChannelRules rules, JurisdictionRules jurisdiction, Channel channel)
    {
        var legal = channel == Channel.Call ? jurisdiction.MaxCallAttemptsRolling7Days : null;
        return (rules.Rolling7Days, legal) switch
        {
            (null, var l) => l,
            (var r, null) => r,
            (var r, var l) => Math.Min(r.Value, l.Value),
        };
    }

    private static Instant[] Sorted(IEnumerable<ContactRecord> records)
    {
        var times = records.Select(r => r.At).ToArray();
        Array.Sort(times);
        return times;
    }
}
