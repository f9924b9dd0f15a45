using NodaTime;

namespace OrleansReminders.Domain.Strategy;

/// <summary>Where a borrower stands on the ladder, as far as <see cref="Ladder.Next"/> needs to know.</summary>
/// <param name="LastStepIndex">Index of the last ladder step done (sent or skipped); -1 when none.</param>
/// <param name="ConsecutiveUnanswered">Consecutive steps with <c>countsAsUnanswered</c> left without reply (reset on reply).</param>
/// <param name="IsNewCustomer">Whether the new-customer buffer applies.</param>
/// <param name="SuspendedUntil">Paused, promised or plan date: nothing happens on or before it.</param>
/// <param name="EscalationsDone">Escalation steps already started (0 = still on the ladder).</param>
/// <param name="LastActionDate">Business date of the last step or escalation, for <see cref="EscalationStep.DaysAfterPrevious"/>.</param>
/// <param name="Segment">Payment-behaviour segment (gaps and tone).</param>
public sealed record LadderState(
    int LastStepIndex = -1,
    int ConsecutiveUnanswered = 0,
    bool IsNewCustomer = false,
    LocalDate? SuspendedUntil = null,
    int EscalationsDone = 0,
    LocalDate? LastActionDate = null,
    PaymentSegment Segment = PaymentSegment.Standard);
