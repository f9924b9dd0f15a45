using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// The contact policy engine: may this borrower be contacted on this channel at this instant, and if not,
/// when next. Immutable and thread-safe; build one per configuration and share it.
/// </summary>
public sealed class ContactPolicy
{
    private readonly HolidayCalendarSet _calendars;

    /// <exception cref="DomainValidationException">The settings are invalid (one error per problem).</exception>
    public ContactPolicy(ContactPolicySettings settings, HolidayCalendarSet calendars)
    {
        var errors = settings.Validate("contactPolicy");
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        Settings = settings;
        _calendars = calendars;
    }

    public ContactPolicySettings Settings { get; }

    /// <summary>The DESIGN.md defaults with the shipped holiday calendars (US by rule, CN and IN from data).</summary>
    public static ContactPolicy CreateDefault() => new(ContactPolicySettings.Default, HolidayCalendarSet.LoadShipped());

    /// <summary>Whether <paramref name="proposal"/> may go at its instant, with the reason and a human explanation.</summary>
    /// <exception cref="DomainValidationException">The profile names no valid time zone.</exception>
    public PolicyDecision Evaluate(ContactProfile profile, IReadOnlyList<ContactRecord> history, ContactProposal proposal)
    {
        var context = CreateContext(profile, history, proposal);
        return Decide(context, proposal.At, PolicyRules.Check(context, proposal.At));
    }

    /// <summary>
    /// The earliest allowed instant at or after the proposal's instant within <see cref="ContactPolicySettings.SearchHorizon"/>,
    /// with its send-by deadline; none when a flag blocks for good or nothing is allowed within the horizon.
    /// Steps from one rule boundary to the next (window starts, day and week starts, cap expiries), never minute by minute.
    /// </summary>
    public NextAllowedResult NextAllowed(ContactProfile profile, IReadOnlyList<ContactRecord> history, ContactProposal proposal)
    {
        var context = CreateContext(profile, history, proposal);
        var first = PolicyRules.Check(context, proposal.At);
        var decision = Decide(context, proposal.At, first);
        var limit = proposal.At + Settings.SearchHorizon;
        var t = proposal.At;
        (Instant At, Verdict Verdict)? blockedInWindow = null;
        for (var verdict = first; !verdict.Allowed; verdict = PolicyRules.Check(context, t))
        {
            if (verdict.ClearsAt is not { } clears)
            {
                return new NextAllowedResult(null, null, decision);
            }

            if (verdict.Reason is not (PolicyReason.QuietHours or PolicyReason.OutsidePreferredWindow))
            {
                blockedInWindow = (t, verdict);
            }

            var next = NextCandidate(context, t, clears);
            if (next > limit)
            {
                var (at, last) = blockedInWindow ?? (t, verdict);
                return new NextAllowedResult(null, null, decision) { LastBlocked = Decide(context, at, last) };
            }

            t = next;
        }

        return new NextAllowedResult(t, Deadline(context, t), decision);
    }

    /// <summary>
    /// The send-by deadline of a proposal: the end of the allowed (and, for collection, preferred) window that
    /// contains its instant. Null when the instant is outside its window, or the channel has no contact hours.
    /// </summary>
    public Instant? SendByDeadline(ContactProfile profile, ContactProposal proposal) =>
        Deadline(CreateContext(profile, [], proposal), proposal.At);

    private PolicyContext CreateContext(ContactProfile profile, IReadOnlyList<ContactRecord> history, ContactProposal proposal) =>
        PolicyContext.Create(Settings, _calendars, profile, history, proposal);

    private static Instant NextCandidate(PolicyContext context, Instant t, Instant clears)
    {
        // A record that happens before the rule clears may change the verdict (e.g. a same-day cycle), so stop there too.
        var index = PolicyRules.UpperBound(context.AllTimes, t);
        var next = index < context.AllTimes.Length && context.AllTimes[index] < clears ? context.AllTimes[index] : clears;
        if (next <= t)
        {
            throw new InvalidOperationException($"Contact policy search did not advance at {t}.");
        }

        return next;
    }

    private static Instant? Deadline(PolicyContext context, Instant t)
    {
        if (!context.ContactRulesApply)
        {
            return null;
        }

        Instant? deadline = null;
        var allowed = context.Jurisdiction.AllowedWindow;
        foreach (var zone in context.WindowZones)
        {
            if (!allowed.Contains(t.InZone(zone).TimeOfDay))
            {
                return null;
            }

            deadline = Earlier(deadline, ZoneMath.Exit(zone, allowed, t));
        }

        if (context.Preferred is { } preferred)
        {
            if (!preferred.Contains(t.InZone(context.Primary).TimeOfDay))
            {
                return null;
            }

            deadline = Earlier(deadline, ZoneMath.Exit(context.Primary, preferred, t));
        }

        return deadline;
    }

    private static Instant Earlier(Instant? a, Instant b) => a is { } x && x < b ? x : b;

    private static PolicyDecision Decide(PolicyContext context, Instant t, Verdict verdict)
    {
        var optOutText = context.Jurisdiction.RequireOptOutText && context.Channel is Channel.Sms or Channel.Email;
        return new PolicyDecision(verdict.Allowed, verdict.Reason, () => PolicyExplanation.Explain(context, t, verdict))
        {
            ClearsAt = verdict.ClearsAt,
            RequiresOptOutText = optOutText,
        };
    }
}
