using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Strategy;

/// <summary>
/// The ladder as a pure function of (strategy, tier, due date, state, today).
/// <list type="number">
/// <item>Nothing happens on or before <see cref="LadderState.SuspendedUntil"/>; the earliest date is
/// <c>max(today, suspendedUntil + 1)</c>.</item>
/// <item>Once an escalation has started, or <see cref="LadderState.ConsecutiveUnanswered"/> reaches the
/// tier's threshold N, the next escalation step follows, <c>daysAfterPrevious</c> after the last action.</item>
/// <item>Otherwise the next ladder step follows on its effective date (see <see cref="EffectiveDates"/>). When
/// several pending steps are already due, only the latest is sent and the earlier ones are skipped
/// (a D-1 reminder is pointless on D+5).</item>
/// <item>When the ladder is exhausted the rule escalates if <see cref="EscalationRule.EscalateWhenLadderExhausted"/>,
/// else there is nothing further to do.</item>
/// </list>
/// </summary>
public static class Ladder
{
    /// <summary>The next action of a borrower's ladder.</summary>
    public static LadderDecision Next(
        CollectionStrategy strategy, RiskTier tier, LocalDate dueDate, LadderState state, LocalDate today)
    {
        var ladder = strategy.LadderFor(tier);
        var segment = strategy.SettingsFor(state.Segment);
        var earliest = EarliestDate(state, today);
        var rule = ladder.Escalation;
        if (state.EscalationsDone > 0 || state.ConsecutiveUnanswered >= rule.UnansweredThreshold)
        {
            return NextEscalation(rule, state, earliest, EscalationCause.Unanswered);
        }

        var next = Math.Max(state.LastStepIndex + 1, 0);
        if (next >= ladder.Steps.Count)
        {
            return rule.EscalateWhenLadderExhausted
                ? NextEscalation(rule, state, earliest, EscalationCause.LadderExhausted)
                : new NoFurtherAction("ladder complete");
        }

        var dates = EffectiveDates(ladder, segment, dueDate, state.IsNewCustomer);
        return NextStep(ladder, dates, next, earliest, segment.ToneVariant);
    }

    /// <summary>
    /// Business date of every step of a ladder: <c>dueDate + offset</c>, where overdue offsets are scaled by
    /// the segment (<see cref="SegmentSettings.ScaleOffset"/>) and, for a new customer, all overdue steps move
    /// later by <c>max(0, buffer − first overdue offset)</c> so the first one is not before D+buffer.
    /// </summary>
    public static IReadOnlyList<LocalDate> EffectiveDates(
        TierLadder ladder, SegmentSettings segment, LocalDate dueDate, bool isNewCustomer)
    {
        var offsets = ladder.Steps.Select(step => segment.ScaleOffset(step.OffsetDays)).ToList();
        var firstOverdue = offsets.Where(offset => offset > 0).DefaultIfEmpty(0).Min();
        var shift = isNewCustomer && firstOverdue > 0 ? Math.Max(0, ladder.NewCustomerBufferDays - firstOverdue) : 0;
        return offsets.Select(offset => dueDate.PlusDays(offset > 0 ? offset + shift : offset)).ToList();
    }

    private static LocalDate EarliestDate(LadderState state, LocalDate today) =>
        state.SuspendedUntil is { } until && until >= today ? until.PlusDays(1) : today;

    private static LadderDecision NextStep(
        TierLadder ladder, IReadOnlyList<LocalDate> dates, int next, LocalDate earliest, string? tone)
    {
        var chosen = next;
        while (chosen + 1 < dates.Count && dates[chosen + 1] <= earliest)
        {
            chosen++;
        }

        var skipped = Enumerable.Range(next, chosen - next).ToList();
        var date = LocalDate.Max(dates[chosen], earliest);
        return new SendLadderStep(chosen, ladder.Steps[chosen], date, tone, skipped);
    }

    private static LadderDecision NextEscalation(
        EscalationRule rule, LadderState state, LocalDate earliest, EscalationCause cause)
    {
        if (state.EscalationsDone >= rule.Steps.Count)
        {
            return new NoFurtherAction("all escalation steps done");
        }

        var step = rule.Steps[state.EscalationsDone];
        var afterPrevious = (state.LastActionDate ?? earliest).PlusDays(step.DaysAfterPrevious);
        return new Escalate(state.EscalationsDone, step, LocalDate.Max(afterPrevious, earliest), cause);
    }
}
