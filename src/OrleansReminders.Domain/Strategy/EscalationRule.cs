namespace OrleansReminders.Domain.Strategy;

/// <summary>
/// The "N consecutive unanswered messages → escalate" rule and the escalation stages it leads to, in order.
/// </summary>
/// <param name="UnansweredThreshold">N: consecutive unanswered steps (those with <c>countsAsUnanswered</c>) that trigger escalation. Default 3.</param>
/// <param name="Steps">Escalation stages in order, e.g. phone-call task, then specialist team / agency.</param>
/// <param name="EscalateWhenLadderExhausted">Also escalate when the ladder has no steps left, even below N.</param>
public sealed record EscalationRule(
    int UnansweredThreshold,
    IReadOnlyList<EscalationStep> Steps,
    bool EscalateWhenLadderExhausted = true)
{
    /// <summary>Default N of the rule (DESIGN.md: 3 consecutive unanswered SMS).</summary>
    public const int DefaultUnansweredThreshold = 3;
}
