using System.Collections.Immutable;
using NodaTime;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Strategy;
using OrleansReminders.Domain.Tiering;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// Maps the stored <see cref="BorrowerState"/> (the schema on disk) to the domain's <see cref="BorrowerFile"/>
/// when a borrower activates, and a file back to a new state object for each write, so the state a failed
/// write leaves behind is never the one in use.
/// </summary>
internal static class BorrowerStateMapper
{
    public static BorrowerFile Load(BorrowerState state) => new()
    {
        Exists = state.Exists,
        Profile = new BorrowerProfile(state.Profile.PhoneE164, state.Profile.Name, state.Profile.Locale, state.Profile.TimeZones,
            state.Profile.Region, state.Profile.Jurisdiction, state.Profile.Birthday is { } b ? LocalDate.FromDateOnly(b) : null,
            state.Profile.Segment, state.Profile.PaymentSegment, state.Profile.IsNewCustomer),
        Debts = [.. state.Debts.Select(d => new Debt(d.DebtId, d.AmountDue, d.Currency, LocalDate.FromDateOnly(d.DueDate), d.Paid))],
        Risk = new RiskFacts(state.Risk.LateShareLast12Months, state.Risk.PriorDelinquencies, state.Risk.CreditScore, Override(state.Risk)),
        Ladder = new LadderState(
            state.Ladder.LastStepIndex,
            state.Ladder.ConsecutiveUnanswered,
            SuspendedUntil: state.Ladder.SuspendedUntil is { } until ? LocalDate.FromDateOnly(until) : null,
            EscalationsDone: state.Ladder.EscalationsDone,
            LastActionDate: state.Ladder.LastActionDate is { } last ? LocalDate.FromDateOnly(last) : null),
        SuspensionKind = state.Ladder.SuspensionKind,
        Consent = new Consent(state.Consent.OptedOut, state.Consent.Dispute, state.Consent.Complaint, state.Consent.LegalHold,
            state.Consent.Deceased, state.Consent.Bankruptcy, state.Consent.Paused, state.Consent.PauseReason, state.Consent.PlanOfferOpen),
        Outbox = [.. state.Outbox.Select(OutboxState.ToMessage)],
        Contacts = [.. state.Contacts.Select(c => new ContactRecord(Enum.Parse<Channel>(c.Channel, ignoreCase: true), Instant.FromDateTimeOffset(c.At),
            c.Transactional ? MessageKind.Transactional : MessageKind.Collection, c.Connected))],
        Counts = new CaseCounts(state.Counts.Sent, state.Counts.Delivered, state.Counts.Failed, state.Counts.Replies),
        ProcessedIds = [.. state.ProcessedIds],
        Resolved = state.Resolved,
        Cycle = state.Cycle,
        NextActionAt = state.NextActionAt is { } next ? Instant.FromDateTimeOffset(next) : null,
        NextAction = state.NextAction,
        Reminder = new ReminderTicks(state.Reminder.FirstTick is { } first ? Instant.FromDateTimeOffset(first) : null, Duration.FromTimeSpan(state.Reminder.Period)),
    };

    /// <summary>A new state object holding <paramref name="file"/> and the history lists given.</summary>
    public static BorrowerState Store(BorrowerFile file, List<byte[]> recent, List<Contracts.History.ContactEvent> unflushed, List<byte[]> pending) =>
        Store(file, recent, unflushed, pending, OutboxState.ToEntry);

    /// <summary>As above, with the outbox entries from <paramref name="entry"/> (which may hand back an earlier, unchanged mapping).</summary>
    public static BorrowerState Store(
        BorrowerFile file, List<byte[]> recent, List<Contracts.History.ContactEvent> unflushed, List<byte[]> pending, Func<OutboxMessage, OutboxEntry> entry) => new()
    {
        Exists = file.Exists,
        Profile = new ProfileState
        {
            PhoneE164 = file.Profile.PhoneE164,
            Name = file.Profile.Name,
            Locale = file.Profile.Locale,
            TimeZones = [.. file.Profile.TimeZones],
            Region = file.Profile.Region,
            Jurisdiction = file.Profile.Jurisdiction,
            Birthday = file.Profile.Birthday?.ToDateOnly(),
            Segment = file.Profile.Segment,
            PaymentSegment = file.Profile.PaymentSegment,
            IsNewCustomer = file.Profile.IsNewCustomer,
        },
        Debts = [.. file.Debts.Select(d => new DebtState { DebtId = d.DebtId, AmountDue = d.AmountDue, Paid = d.Paid, Currency = d.Currency, DueDate = d.DueDate.ToDateOnly() })],
        Risk = new RiskState
        {
            LateShareLast12Months = file.Risk.LateShareLast12Months,
            PriorDelinquencies = file.Risk.PriorDelinquencies,
            CreditScore = file.Risk.CreditScore,
            OverrideTier = file.Risk.Override?.Tier.ToString(),
            OverrideReason = file.Risk.Override?.Reason,
            OverrideOperator = file.Risk.Override?.Operator,
            OverrideAt = file.Risk.Override?.SetAt.ToDateTimeOffset(),
        },
        Ladder = new LadderPosition
        {
            LastStepIndex = file.Ladder.LastStepIndex,
            ConsecutiveUnanswered = file.Ladder.ConsecutiveUnanswered,
            EscalationsDone = file.Ladder.EscalationsDone,
            LastActionDate = file.Ladder.LastActionDate?.ToDateOnly(),
            SuspendedUntil = file.Ladder.SuspendedUntil?.ToDateOnly(),
            SuspensionKind = file.SuspensionKind,
        },
        Consent = new ConsentState
        {
            OptedOut = file.Consent.OptedOut,
            Dispute = file.Consent.Dispute,
            Complaint = file.Consent.Complaint,
            LegalHold = file.Consent.LegalHold,
            Deceased = file.Consent.Deceased,
            Bankruptcy = file.Consent.Bankruptcy,
            Paused = file.Consent.Paused,
            PauseReason = file.Consent.PauseReason,
            PlanOfferOpen = file.Consent.PlanOfferOpen,
        },
        Outbox = [.. file.Outbox.Select(entry)],
        Recent = recent,
        Unflushed = unflushed,
        Pending = pending,
        Contacts = [.. file.Contacts.Select(c => new ContactAttempt
        {
            Channel = ChannelNames[(int)c.Channel], At = c.At.ToDateTimeOffset(), Transactional = c.Kind == MessageKind.Transactional, Connected = c.Connected,
        })],
        Reminder = new ReminderSchedule { FirstTick = file.Reminder.FirstTick?.ToDateTimeOffset(), Period = file.Reminder.Period.ToTimeSpan() },
        NextActionAt = file.NextActionAt?.ToDateTimeOffset(),
        NextAction = file.NextAction,
        Counts = new Counters { Sent = file.Counts.Sent, Delivered = file.Counts.Delivered, Failed = file.Counts.Failed, Replies = file.Counts.Replies },
        ProcessedIds = [.. file.ProcessedIds],
        Resolved = file.Resolved,
        Cycle = file.Cycle,
    };

    /// <summary>Stored channel names (as earlier builds wrote them), without formatting the enum on every write.</summary>
    private static readonly string[] ChannelNames = Enum.GetValues<Channel>().Select(c => c.ToString()).ToArray();

    private static TierOverride? Override(RiskState risk) =>
        risk.OverrideTier is { } tier && Enum.TryParse<RiskTier>(tier, true, out var parsed)
            ? new TierOverride(parsed, risk.OverrideReason ?? "", risk.OverrideOperator ?? "", Instant.FromDateTimeOffset(risk.OverrideAt ?? DateTimeOffset.UnixEpoch))
            : null;
}
