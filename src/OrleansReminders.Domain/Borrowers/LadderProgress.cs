using NodaTime;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>How a borrower's ladder position moves when something happens.</summary>
public static class LadderProgress
{
    /// <summary>
    /// An action was handed over for sending on <paramref name="today"/>: the ladder moves past it (and past
    /// any steps it skipped), an escalation counts as started, and an unanswered-counting step adds one.
    /// </summary>
    public static LadderState AfterAction(LadderState state, PlannedAction action, LocalDate today) =>
        action.IsEscalation
            ? state with { EscalationsDone = action.Index + 1, LastActionDate = today }
            : state with
            {
                LastStepIndex = action.Index,
                ConsecutiveUnanswered = state.ConsecutiveUnanswered + (action.CountsAsUnanswered ? 1 : 0),
                LastActionDate = today,
            };

    /// <summary>The borrower answered: the run of unanswered messages starts again.</summary>
    public static LadderState AfterReply(LadderState state) => state with { ConsecutiveUnanswered = 0 };

    /// <summary>
    /// Ops moved the borrower to an escalation level: 0 = back on the SMS ladder (continuing after the last
    /// step done, unanswered count cleared), n ≥ 1 = escalation step n is the one under way.
    /// </summary>
    public static LadderState Reassigned(LadderState state, int level, LocalDate today) =>
        level == 0
            ? state with { EscalationsDone = 0, ConsecutiveUnanswered = 0, LastActionDate = today }
            : state with { EscalationsDone = level, LastActionDate = today };
}
