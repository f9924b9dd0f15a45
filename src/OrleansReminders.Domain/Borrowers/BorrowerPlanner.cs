using NodaTime;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>
/// Decides a borrower's next move from (facts, now, strategy, contact policy):
/// <list type="number">
/// <item>Nothing owed → done. Paused → idle.</item>
/// <item>The ladder (<see cref="Ladder.Next"/>) names the next step or escalation and its business date
/// (in the borrower's primary time zone); no step left → done.</item>
/// <item>The contact policy is asked from the later of now and the start of that date: allowed now →
/// send, with the end of the allowed window as send-by deadline; allowed later → wait until then;
/// refused absolutely (opt-out, deceased, …) → done; no slot within the search horizon (for example every
/// date ahead lies outside the borrower's holiday calendar) → wait and ask again at the next local day start
/// (at the latest when the horizon ends), so a refusal that is not absolute never ends the borrower's ladder
/// and a newly loaded calendar takes effect within a day.</item>
/// </list>
/// </summary>
public sealed class BorrowerPlanner(CollectionStrategy strategy, ContactPolicy policy)
{
    public BorrowerPlan Plan(BorrowerFacts facts, Instant now)
    {
        if (facts.DueDate is not { } dueDate)
        {
            return new PlanDone("nothing owed");
        }

        if (facts.Paused)
        {
            return new PlanIdle("paused");
        }

        var zone = DateTimeZoneProviders.Tzdb[facts.Profile.TimeZoneIds[0]];
        var today = now.InZone(zone).Date;
        return Ladder.Next(strategy, facts.Tier, dueDate, facts.Ladder, today) switch
        {
            SendLadderStep step => Schedule(facts, now, zone, ToAction(step)),
            Escalate escalation => Schedule(facts, now, zone, ToAction(escalation)),
            NoFurtherAction done => new PlanDone(done.Reason),
            _ => throw new InvalidOperationException("unknown ladder decision"),
        };
    }

    /// <summary>
    /// A new window for a message that could not leave in its own (the dispatcher returned it, or it
    /// waited in the outbox past its send-by): the next instant from <paramref name="now"/> the contact
    /// policy allows, with that window's send-by deadline; null when the policy now refuses it for good
    /// (opted out, …) or finds no slot within its search horizon.
    /// </summary>
    public (Instant At, Instant SendBy)? Reslot(BorrowerFacts facts, Instant now, Common.Channel channel, bool transactional, bool urgent) =>
        Reslot(facts, now, channel, transactional, urgent, out _);

    /// <summary>As <see cref="Reslot(BorrowerFacts, Instant, Common.Channel, bool, bool)"/>, saying why when no window is found.</summary>
    /// <param name="facts">The borrower.</param>
    /// <param name="now">From when to look.</param>
    /// <param name="channel">The message's channel.</param>
    /// <param name="transactional">A transactional message (only opt-outs and quiet hours apply).</param>
    /// <param name="urgent">An urgent collection step.</param>
    /// <param name="refusal">Why no window was found (the policy's reason), when none was.</param>
    public (Instant At, Instant SendBy)? Reslot(BorrowerFacts facts, Instant now, Common.Channel channel, bool transactional, bool urgent, out string? refusal)
    {
        refusal = null;
        var proposal = new ContactProposal(now, channel, transactional ? MessageKind.Transactional : MessageKind.Collection,
            urgent ? Urgency.Urgent : Urgency.Normal);
        var next = policy.NextAllowed(facts.Profile, facts.History, proposal);
        if (next.At is not { } at)
        {
            var blocked = next.LastBlocked ?? next.AtProposed;
            refusal = $"{blocked.Reason.Code()}: {blocked.Explanation}";
            return null;
        }

        var zone = DateTimeZoneProviders.Tzdb[facts.Profile.TimeZoneIds[0]];
        return (at, next.SendBy ?? zone.AtStartOfDay(at.InZone(zone).Date.PlusDays(1)).ToInstant());
    }

    /// <summary>How many escalation levels the tier's rule has (ops may reassign 0..this).</summary>
    public int EscalationLevels(Common.RiskTier tier) => strategy.LadderFor(tier).Escalation.Steps.Count;

    private BorrowerPlan Schedule(BorrowerFacts facts, Instant now, DateTimeZone zone, PlannedAction action)
    {
        var dayStart = zone.AtStartOfDay(action.BusinessDate).ToInstant();
        var from = dayStart > now ? dayStart : now;
        var proposal = new ContactProposal(from, action.Channel, MessageKind.Collection,
            action.Urgency == StepUrgency.Urgent ? Urgency.Urgent : Urgency.Normal);
        var next = policy.NextAllowed(facts.Profile, facts.History, proposal);
        if (next.At is not { } at)
        {
            if (next.AtProposed.IsAbsolute)
            {
                return new PlanDone($"{next.AtProposed.Reason.Code()}: {next.AtProposed.Explanation}");
            }

            var reason = (next.LastBlocked ?? next.AtProposed).Reason;
            var tomorrow = zone.AtStartOfDay(now.InZone(zone).Date.PlusDays(1)).ToInstant();
            var horizon = from + policy.Settings.SearchHorizon;
            return new PlanWait(tomorrow < horizon ? tomorrow : horizon,
                $"{action.StepKey}: no allowed slot within the horizon ({reason.Code()}); asking again daily", reason);
        }

        return at <= now
            ? new PlanSend(action, next.SendBy ?? zone.AtStartOfDay(now.InZone(zone).Date.PlusDays(1)).ToInstant())
            : new PlanWait(at, $"{action.StepKey} allowed from then", next.AtProposed.Allowed ? null : next.AtProposed.Reason);
    }

    private static PlannedAction ToAction(SendLadderStep step) => new(
        $"L{step.StepIndex}", step.Step.Channel, step.Step.TemplateKey, step.Step.Urgency, step.Step.CountsAsUnanswered,
        IsEscalation: false, step.StepIndex, step.BusinessDate, step.ToneVariant, step.SkippedStepIndices);

    private static PlannedAction ToAction(Escalate escalation) => new(
        $"E{escalation.EscalationIndex}", escalation.Step.Channel, escalation.Step.TemplateKey, escalation.Step.Urgency,
        CountsAsUnanswered: false, IsEscalation: true, escalation.EscalationIndex, escalation.BusinessDate, ToneVariant: null, []);
}
