namespace OrleansReminders.Domain.Policy;

/// <summary>The legal contact rules of one jurisdiction (a preset such as CN, US, IN or the product default).</summary>
public sealed record JurisdictionRules
{
    /// <summary>Local hours in which contact is allowed; everything else is quiet hours.</summary>
    public TimeWindow AllowedWindow { get; init; } = TimeWindow.Of(8, 22);

    /// <summary>When true the instant must lie in the allowed window in every candidate time zone of the borrower.</summary>
    public bool AllCandidateZones { get; init; } = true;

    /// <summary>At most this many connected calls per local day (CN: 3).</summary>
    public int? MaxConnectedCallsPerDay { get; init; }

    /// <summary>At most this many call attempts in any rolling 7 days (US Regulation F: 7).</summary>
    public int? MaxCallAttemptsRolling7Days { get; init; }

    /// <summary>
    /// Collection cycles at least this many local days apart (CN: 7). A cycle is a local day with collection
    /// contact: further contacts on the same day are allowed (within caps); a new day must be this far after the last.
    /// </summary>
    public int? MinCollectionCycleGapDays { get; init; }

    /// <summary>Every electronic message (SMS, e-mail) must offer an opt-out (US Regulation F).</summary>
    public bool RequireOptOutText { get; init; }

    /// <summary>
    /// No collection contact on Saturdays and Sundays (local), except on the holiday calendar's make-up working
    /// days (CN 调休), which are working days. A segment setting overrides it.
    /// </summary>
    public bool AvoidWeekends { get; init; }
}
