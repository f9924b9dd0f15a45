using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Strategy;

/// <summary>The escalation ladder of one risk tier.</summary>
/// <param name="Tier">The tier.</param>
/// <param name="Steps">Steps ordered by non-decreasing <see cref="LadderStep.OffsetDays"/>.</param>
/// <param name="NewCustomerBufferDays">
/// For a new customer the first overdue step is not sent before D+buffer; all overdue steps move by the
/// same amount, so their gaps stay as configured.
/// </param>
/// <param name="Escalation">The escalation rule of this tier (the root rule unless the tier overrides it).</param>
public sealed record TierLadder(
    RiskTier Tier,
    IReadOnlyList<LadderStep> Steps,
    int NewCustomerBufferDays,
    EscalationRule Escalation);
