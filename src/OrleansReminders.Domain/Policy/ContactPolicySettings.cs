using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// Configuration of the contact policy. Every number has the DESIGN.md default; bind from JSON with
/// <see cref="FromJson"/> (camelCase, every property optional) and check with <see cref="Validate"/>.
/// </summary>
public sealed partial record ContactPolicySettings
{
    /// <summary>The jurisdiction key used for borrowers whose jurisdiction has no preset.</summary>
    public const string DefaultJurisdiction = "default";

    public static ContactPolicySettings Default { get; } = new();

    /// <summary>Presets by jurisdiction code (case-insensitive); must contain <see cref="DefaultJurisdiction"/>.</summary>
    public IReadOnlyDictionary<string, JurisdictionRules> Jurisdictions { get; init; } = DefaultJurisdictions();

    /// <summary>The product's preferred window inside the allowed hours.</summary>
    public TimeWindow PreferredWindow { get; init; } = TimeWindow.Of(9, 17);

    /// <summary>Preferred windows by borrower segment (case-insensitive), replacing <see cref="PreferredWindow"/>.</summary>
    public IReadOnlyDictionary<string, TimeWindow> SegmentWindows { get; init; } = DefaultSegmentWindows();

    /// <summary>When false the preferred window is advice only and never blocks.</summary>
    public bool EnforcePreferredWindow { get; init; } = true;

    /// <summary>When true urgent messages may use the whole allowed window.</summary>
    public bool UrgentIgnoresPreferredWindow { get; init; }

    /// <summary>Frequency rules per channel; a channel missing here has no caps.</summary>
    public IReadOnlyDictionary<Channel, ChannelRules> Channels { get; init; } = DefaultChannels();

    /// <summary>Minimum time between two collection contacts on any channels.</summary>
    public Duration MinimumGapAnyChannel { get; init; } = Duration.FromHours(1);

    public IsoDayOfWeek WeekStartsOn { get; init; } = IsoDayOfWeek.Monday;

    /// <summary>Public holidays of the borrower's region (looked up by the profile's Region) block collection contact.</summary>
    public bool SkipHolidays { get; init; } = true;

    /// <summary>
    /// A local date the borrower's holiday calendar does not cover: <see cref="UncoveredDateAction.Hold"/> (the
    /// default: nobody knows whether it is a holiday, so collection contact waits for a calendar that covers it) or
    /// <see cref="UncoveredDateAction.Allow"/> (the lender decides to contact as on any working day).
    /// Borrowers whose region has no calendar at all, and transactional messages, are not affected.
    /// </summary>
    public UncoveredDateAction OnUncoveredDate { get; init; } = UncoveredDateAction.Hold;

    /// <summary>Per borrower segment (case-insensitive): true avoids weekends, false allows them, overriding the jurisdiction's rule.</summary>
    public IReadOnlyDictionary<string, bool> SegmentAvoidWeekends { get; init; } = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

    public bool SkipBirthdays { get; init; } = true;

    /// <summary>How far ahead <see cref="ContactPolicy.NextAllowed"/> looks before giving up.</summary>
    public Duration SearchHorizon { get; init; } = Duration.FromDays(30);

    /// <summary>The preset for a jurisdiction code, falling back to <see cref="DefaultJurisdiction"/>.</summary>
    public JurisdictionRules RulesFor(string? jurisdiction)
    {
        if (jurisdiction is not null && Jurisdictions.TryGetValue(jurisdiction, out var rules))
        {
            return rules;
        }

        return Jurisdictions.TryGetValue(DefaultJurisdiction, out var fallback) ? fallback : new JurisdictionRules();
    }

    /// <summary>Whether Saturdays and Sundays (other than make-up working days) are avoided for this borrower.</summary>
    public bool AvoidsWeekends(JurisdictionRules jurisdiction, string? segment) =>
        segment is not null && SegmentAvoidWeekends.TryGetValue(segment, out var avoid) ? avoid : jurisdiction.AvoidWeekends;

    public ChannelRules RulesFor(Channel channel) =>
        Channels.TryGetValue(channel, out var rules) ? rules : NoCaps;

    /// <summary>The preferred window of a segment (or the general one).</summary>
    public TimeWindow PreferredWindowFor(string? segment) =>
        segment is not null && SegmentWindows.TryGetValue(segment, out var window) ? window : PreferredWindow;

    private static readonly ChannelRules NoCaps = new();

    private static Dictionary<string, JurisdictionRules> DefaultJurisdictions() =>
        new(StringComparer.OrdinalIgnoreCase)
        {
            [DefaultJurisdiction] = new JurisdictionRules(),
            ["CN"] = new JurisdictionRules { MaxConnectedCallsPerDay = 3, MinCollectionCycleGapDays = 7 },
            ["US"] = new JurisdictionRules
            {
                AllowedWindow = TimeWindow.Of(8, 21),
                MaxCallAttemptsRolling7Days = 7,
                RequireOptOutText = true,
            },
            ["IN"] = new JurisdictionRules { AllowedWindow = TimeWindow.Of(8, 19) },
        };

    private static Dictionary<string, TimeWindow> DefaultSegmentWindows() =>
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["student"] = TimeWindow.Of(18, 20),
            ["freelancer"] = TimeWindow.Of(18, 20),
        };

    private static Dictionary<Channel, ChannelRules> DefaultChannels() =>
        new()
        {
            [Channel.Sms] = new ChannelRules
            {
                PerDay = 1, PerCalendarWeek = 1, Rolling7Days = 2,
                MinimumGap = Duration.FromHours(24), UrgentMayExceedWeeklyCap = true,
            },
            [Channel.Email] = new ChannelRules
            {
                PerDay = 1, PerCalendarWeek = 2, Rolling7Days = 3,
                MinimumGap = Duration.FromHours(24), UrgentMayExceedWeeklyCap = true,
            },
            [Channel.Call] = new ChannelRules { PerDay = 3, Rolling7Days = 7, MinimumGap = Duration.FromHours(1) },
            [Channel.Agency] = new ChannelRules { ContactRulesApply = false },
        };
}

/// <summary>What the contact policy does on a local date the borrower's holiday calendar does not cover.</summary>
public enum UncoveredDateAction
{
    /// <summary>Hold collection contact (<see cref="PolicyReason.CalendarNotCovered"/>) until a covered date.</summary>
    Hold,

    /// <summary>Contact as on a date without a holiday.</summary>
    Allow,
}
