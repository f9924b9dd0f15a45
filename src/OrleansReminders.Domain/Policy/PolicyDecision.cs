using NodaTime;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// Why a contact is or is not allowed. New reasons are appended (never renumbered); as text (metrics, plans,
/// history) a reason is its <see cref="PolicyReasonCodes.Code"/>, e.g. <c>calendar-not-covered</c>.
/// </summary>
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

    /// <summary>The borrower's holiday calendar does not cover the local date: whether it is a holiday is unknown.</summary>
    CalendarNotCovered,

    /// <summary>A Saturday or Sunday (not a make-up working day) where weekends are avoided.</summary>
    Weekend,
}

/// <summary>The text form of a <see cref="PolicyReason"/>.</summary>
public static class PolicyReasonCodes
{
    /// <summary>Kebab-case: <c>QuietHours</c> → <c>quiet-hours</c>, <c>Rolling7DayCap</c> → <c>rolling-7-day-cap</c>.</summary>
    public static string Code(this PolicyReason reason) => Codes.TryGetValue(reason, out var code) ? code : Kebab(reason.ToString());

    private static readonly Dictionary<PolicyReason, string> Codes =
        Enum.GetValues<PolicyReason>().ToDictionary(r => r, r => Kebab(r.ToString()));

    private static string Kebab(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var boundary = i > 0 && (char.IsUpper(c) || (char.IsDigit(c) && !char.IsDigit(name[i - 1]))
                || (!char.IsDigit(c) && char.IsDigit(name[i - 1])));
            if (boundary)
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}

/// <summary>
/// The answer for one proposed contact. <see cref="ClearsAt"/> is the earliest instant at which the blocking
/// rule could stop blocking (null when allowed or when the block is absolute). <see cref="Explanation"/> is
/// written when first read: a planner asks the policy for many decisions and reads few explanations.
/// </summary>
public sealed record PolicyDecision(bool Allowed, PolicyReason Reason)
{
    private readonly Func<string> _explain = () => "";
    private string? _explanation;

    public PolicyDecision(bool allowed, PolicyReason reason, string explanation)
        : this(allowed, reason) => _explanation = explanation;

    public PolicyDecision(bool allowed, PolicyReason reason, Func<string> explain)
        : this(allowed, reason) => _explain = explain;

    /// <summary>Why, in words (the rule and the local times or counts that decided it).</summary>
    public string Explanation => _explanation ??= _explain();

    public Instant? ClearsAt { get; init; }

    /// <summary>The jurisdiction demands an opt-out offer in this (electronic) message.</summary>
    public bool RequiresOptOutText { get; init; }

    /// <summary>A flag, not time, blocks the contact: no later instant will be allowed either.</summary>
    public bool IsAbsolute => !Allowed && ClearsAt is null;

    public bool Equals(PolicyDecision? other) =>
        other is not null && Allowed == other.Allowed && Reason == other.Reason && ClearsAt == other.ClearsAt
        && RequiresOptOutText == other.RequiresOptOutText && Explanation == other.Explanation;

    public override int GetHashCode() => HashCode.Combine(Allowed, Reason, ClearsAt, RequiresOptOutText, Explanation);

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Allowed = {Allowed}, Reason = {Reason}, Explanation = {Explanation}, ClearsAt = {ClearsAt}, RequiresOptOutText = {RequiresOptOutText}");
        return true;
    }
}

/// <summary>
/// The earliest allowed slot at or after a proposed instant: <see cref="At"/> (null when none within the
/// horizon, or never because of a flag), its send-by deadline, and the decision at the proposed instant.
/// </summary>
public sealed record NextAllowedResult(Instant? At, Instant? SendBy, PolicyDecision AtProposed)
{
    /// <summary>
    /// When nothing was allowed within the horizon: what kept it closed. The decision at the last instant looked
    /// at that lay inside the time windows (say, <see cref="PolicyReason.CalendarNotCovered"/> while the proposed
    /// instant itself was only in quiet hours), or at the last instant looked at when the windows never opened.
    /// </summary>
    public PolicyDecision? LastBlocked { get; init; }

    public bool Found => At is not null;
}
