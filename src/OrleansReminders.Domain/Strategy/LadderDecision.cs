using NodaTime;

namespace OrleansReminders.Domain.Strategy;

/// <summary>What the ladder wants next: a ladder step, an escalation, or nothing.</summary>
public abstract record LadderDecision;

/// <summary>Send ladder step <paramref name="StepIndex"/> on <paramref name="BusinessDate"/>.</summary>
/// <param name="StepIndex">Index into the tier's steps.</param>
/// <param name="Step">The step.</param>
/// <param name="BusinessDate">Day the step is due (the contact policy then picks the instant).</param>
/// <param name="ToneVariant">Tone variant of the borrower's payment segment, if any.</param>
/// <param name="SkippedStepIndices">Earlier steps whose date had passed and that are no longer worth sending.</param>
public sealed record SendLadderStep(
    int StepIndex,
    LadderStep Step,
    LocalDate BusinessDate,
    string? ToneVariant,
    IReadOnlyList<int> SkippedStepIndices) : LadderDecision;

/// <summary>Start escalation step <paramref name="EscalationIndex"/> on <paramref name="BusinessDate"/>.</summary>
public sealed record Escalate(
    int EscalationIndex,
    EscalationStep Step,
    LocalDate BusinessDate,
    EscalationCause Cause) : LadderDecision;

/// <summary>The ladder and all escalation steps are done.</summary>
public sealed record NoFurtherAction(string Reason) : LadderDecision;

/// <summary>Why the ladder escalated.</summary>
public enum EscalationCause
{
    /// <summary>N consecutive unanswered messages (or an escalation already under way).</summary>
    Unanswered,

    /// <summary>The ladder ran out of steps and the rule escalates on exhaustion.</summary>
    LadderExhausted,
}
