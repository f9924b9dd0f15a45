using NodaTime;

namespace OrleansReminders.Domain.Policy;

/// <summary>Why a contact is or is not allowed.</summary>
public enum PolicyReason
{
    Allowed,
    QuietHours,
    OutsidePreferredWindow,
    Holiday,
    Birthday,
    DailyCap,
    WeeklyCap,
    Rolling7DayCap,
    ConnectedCallDailyCap,
    MinimumGap,
    CycleGap,
    OptedOut,
    Dispute,
    Complaint,
    LegalHold,
    Deceased,
    Bankruptcy,
}

/// <summary>
/// The answer for one proposed contact. <see cref="ClearsAt"/> is the earliest instant at which the blocking
/// rule could stop blocking (null when allowed or when the block is absolute).
/// </summary>
public sealed record PolicyDecision(bool Allowed, PolicyReason Reason, string Explanation)
{
    public Instant? ClearsAt { get; init; }

    /// <summary>The jurisdiction demands an opt-out offer in this (electronic) message.</summary>
    public bool RequiresOptOutText { get; init; }

    /// <summary>A flag, not time, blocks the contact: no later instant will be allowed either.</summary>
    public bool IsAbsolute => !Allowed && ClearsAt is null;
}

/// <summary>
/// The earliest allowed slot at or after a proposed instant: <see cref="At"/> (null when none within the
/// horizon, or never because of a flag), its send-by deadline, and the decision at the proposed instant.
/// </summary>
public sealed record NextAllowedResult(Instant? At, Instant? SendBy, PolicyDecision AtProposed)
{
    public bool Found => At is not null;
}
