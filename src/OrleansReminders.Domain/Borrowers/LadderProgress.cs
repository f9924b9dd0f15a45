using NodaTime;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>How a borrower's ladder position moves when something happens.</summary>
public static class LadderProgress
{
    /// <summary>
    /// An action was decided on <paramref name="today"/> (its message is in the outbox): the ladder moves past
    /// it (and past any steps it skipped) and an escalation counts as started. It counts as unanswered only
    /// once the provider accepted it (<see cref="AfterAccepted"/>).
    /// </summary>
    public static LadderState AfterAction(LadderState state, PlannedAction action, LocalDate today) =>
        action.IsEscalation
            ? state with { EscalationsDone = action.Index + 1, LastActionDate = today }
            : state with { LastStepIndex = action.Index, LastActionDate = today };

    /// <summary>The provider accepted a message: an unanswered-counting step adds one to the unanswered run.</summary>
    public static LadderState AfterAccepted(LadderState state, bool countsAsUnanswered) =>
        countsAsUnanswered ? state with { ConsecutiveUnanswered = state.ConsecutiveUnanswered + 1 } : state;

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
