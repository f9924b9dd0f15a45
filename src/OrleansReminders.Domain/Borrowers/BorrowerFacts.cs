using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>
/// What the planner needs to know about one borrower at one instant. The borrower grain builds it
/// from its state; the planner never sees storage, Orleans or the clock.
/// </summary>
/// <param name="Tier">Effective risk tier (ops override already applied).</param>
/// <param name="DueDate">Due date of the oldest open debt; null when nothing is owed.</param>
/// <param name="Ladder">Position on the ladder.</param>
/// <param name="Profile">Time zones, jurisdiction, segment and consent flags.</param>
/// <param name="History">Recent contacts, for caps and gaps.</param>
/// <param name="Paused">Paused by ops (dispute, legal hold, claims-paid verification): nothing is sent until resumed.</param>
public sealed record BorrowerFacts(
    RiskTier Tier,
    LocalDate? DueDate,
    LadderState Ladder,
    ContactProfile Profile,
    IReadOnlyList<ContactRecord> History,
    bool Paused = false);

/// <summary>What the borrower should do next.</summary>
public abstract record BorrowerPlan;

/// <summary>Nothing more will happen on its own (resolved, ladder finished, or an absolute block such as an opt-out).</summary>
public sealed record PlanDone(string Reason) : BorrowerPlan;

/// <summary>Paused: nothing happens until resumed; no reminder is needed.</summary>
public sealed record PlanIdle(string Reason) : BorrowerPlan;

/// <summary>Wake up at <paramref name="At"/> and plan again.</summary>
/// <remarks><paramref name="DeferredBy"/> names the contact-policy rule that pushed the step later (quiet hours, a cap, …), when one did.</remarks>
public sealed record PlanWait(Instant At, string Reason, Policy.PolicyReason? DeferredBy = null) : BorrowerPlan;

/// <summary>Send this action now; it must leave by <paramref name="SendBy"/> (end of its allowed window).</summary>
public sealed record PlanSend(PlannedAction Action, Instant SendBy) : BorrowerPlan;

/// <summary>
/// One ladder step or escalation step to carry out. <see cref="StepKey"/> names it within the debt, so a
/// second tick for the same step is recognised and never produces a second message.
/// </summary>
public sealed record PlannedAction(
    string StepKey,
    Channel Channel,
    string TemplateKey,
    StepUrgency Urgency,
    bool CountsAsUnanswered,
    bool IsEscalation,
    int Index,
    LocalDate BusinessDate,
    string? ToneVariant,
    IReadOnlyList<int> SkippedStepIndices);
