using System.Collections.Immutable;
using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Strategy;
using OrleansReminders.Domain.Tiering;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>Translates between the stored state and the domain's inputs and the wire status.</summary>
internal static class BorrowerFactsMapper
{
    public static BorrowerFacts ToFacts(BorrowerState state, RiskTier tier) => new(
        tier,
        OldestOpenDebt(state) is { } debt ? LocalDate.FromDateOnly(debt.DueDate) : null,
        ToLadderState(state),
        ToProfile(state),
        state.Contacts.Select(ToRecord).ToList(),
        state.Consent.Paused);

    public static DebtState? OldestOpenDebt(BorrowerState state) =>
        state.Resolved ? null : state.Debts.Where(d => d.Outstanding > 0).MinBy(d => d.DueDate);

    public static LadderState ToLadderState(BorrowerState state) => new(
        state.Ladder.LastStepIndex,
        state.Ladder.ConsecutiveUnanswered,
        state.Profile.IsNewCustomer,
        state.Ladder.SuspendedUntil is { } until ? LocalDate.FromDateOnly(until) : null,
        state.Ladder.EscalationsDone,
        state.Ladder.LastActionDate is { } last ? LocalDate.FromDateOnly(last) : null,
        ParsePaymentSegment(state.Profile.PaymentSegment) ?? PaymentSegment.Standard);

    public static void Apply(BorrowerState state, LadderState ladder)
    {
        state.Ladder.LastStepIndex = ladder.LastStepIndex;
        state.Ladder.ConsecutiveUnanswered = ladder.ConsecutiveUnanswered;
        state.Ladder.EscalationsDone = ladder.EscalationsDone;
        state.Ladder.LastActionDate = ladder.LastActionDate?.ToDateOnly();
    }

    public static ContactProfile ToProfile(BorrowerState state) => new()
    {
        TimeZoneIds = state.Profile.TimeZones,
        Region = state.Profile.Region,
        Jurisdiction = state.Profile.Jurisdiction,
        Birthday = state.Profile.Birthday is { } b ? new AnnualDate(b.Month, b.Day) : null,
        Segment = state.Profile.Segment,
        Flags = new ContactFlags
        {
            OptedOutAll = state.Consent.OptedOut,
            Dispute = state.Consent.Dispute,
            Complaint = state.Consent.Complaint,
            LegalHold = state.Consent.LegalHold,
            Deceased = state.Consent.Deceased,
            Bankruptcy = state.Consent.Bankruptcy,
        },
    };

    public static TierAssessment Assess(BorrowerState state, TieringOptions options, LocalDate today)
    {
        var debt = OldestOpenDebt(state);
        var daysPastDue = debt is null ? 0 : Math.Max(0, Period.Between(LocalDate.FromDateOnly(debt.DueDate), today, PeriodUnits.Days).Days);
        var input = new TieringInput(daysPastDue, state.Debts.Sum(d => d.Outstanding), state.Risk.LateShareLast12Months,
            state.Risk.PriorDelinquencies, state.Risk.CreditScore);
        var @override = state.Risk.OverrideTier is { } tier && Enum.TryParse<RiskTier>(tier, true, out var parsed)
            ? new TierOverride(parsed, state.Risk.OverrideReason ?? "", state.Risk.OverrideOperator ?? "", Instant.FromDateTimeOffset(state.Risk.OverrideAt ?? DateTimeOffset.UnixEpoch))
            : null;
        return RiskScorer.Assess(input, options, @override);
    }

    public static PaymentSegment? ParsePaymentSegment(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "standard" => PaymentSegment.Standard,
        "ontime" or "on-time" => PaymentSegment.OnTime,
        "repeatdelinquent" or "repeat-delinquent" => PaymentSegment.RepeatDelinquent,
        _ => null,
    };

    public static BorrowerStatus ToStatus(string id, BorrowerState state, TierAssessment assessment, ImmutableArray<Contracts.History.ContactEvent> recent, int pendingMessages) => new(
        id,
        assessment.EffectiveTier.ToString().ToLowerInvariant(),
        assessment.Score,
        [.. assessment.Contributions.Select(c => new TierFactor(c.Factor, c.RawValue, c.Points))],
        assessment.Override is { } o ? $"{o.Tier.ToString().ToLowerInvariant()} by {o.Operator}: {o.Reason}" : null,
        Stage(state),
        state.Ladder.LastStepIndex,
        state.Ladder.EscalationsDone,
        state.NextAction,
        state.NextActionAt,
        state.Debts.Sum(d => d.Outstanding),
        state.Debts.FirstOrDefault()?.Currency ?? "",
        [.. Flags(state)],
        state.Ladder.SuspendedUntil,
        new StatusCounts(state.Counts.Sent, state.Counts.Delivered, state.Counts.Failed, state.Counts.Replies, state.Ladder.ConsecutiveUnanswered),
        [.. recent.TakeLast(10)],
        pendingMessages);

    private static string Stage(BorrowerState state) => state switch
    {
        { Resolved: true } => "resolved",
        { Consent.OptedOut: true } => "opted-out",
        { Consent.Paused: true } => "paused",
        { Ladder.EscalationsDone: > 0 } => $"escalation-{state.Ladder.EscalationsDone}",
        { Ladder.SuspendedUntil: not null } => $"suspended ({state.Ladder.SuspensionKind})",
        { Ladder.LastStepIndex: < 0 } => "not-started",
        _ => $"ladder-step-{state.Ladder.LastStepIndex}",
    };

    private static IEnumerable<string> Flags(BorrowerState state)
    {
        var c = state.Consent;
        (bool On, string Name)[] flags =
        [
            (c.OptedOut, "opted-out"), (c.Dispute, "dispute"), (c.Complaint, "complaint"), (c.LegalHold, "legal-hold"),
            (c.Deceased, "deceased"), (c.Bankruptcy, "bankruptcy"), (c.Paused, "paused"), (c.PlanOfferOpen, "plan-offer-open"),
        ];
        return flags.Where(f => f.On).Select(f => f.Name);
    }

    private static ContactRecord ToRecord(ContactAttempt attempt) => new(
        Enum.Parse<Channel>(attempt.Channel, ignoreCase: true),
        Instant.FromDateTimeOffset(attempt.At),
        attempt.Transactional ? MessageKind.Transactional : MessageKind.Collection,
        attempt.Connected);

}
