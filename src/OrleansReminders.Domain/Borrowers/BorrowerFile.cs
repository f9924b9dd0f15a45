using System.Collections.Immutable;
using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Strategy;
using OrleansReminders.Domain.Tiering;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>
/// Everything known about one borrower, as one immutable value: a <see cref="BorrowerCase"/> decides on it and
/// hands back the next one, so a caller that fails to store the next keeps the previous untouched. The grain
/// maps it to and from its stored form; history (the events a case records) is kept beside it.
/// </summary>
public sealed record BorrowerFile
{
    /// <summary>How many settled idempotency ids (payments, replies) are remembered.</summary>
    public const int ProcessedIdWindow = 200;

    /// <summary>How many contact attempts are kept at most.</summary>
    public const int ContactWindow = 100;

    /// <summary>How far back contact attempts are kept: longer than any cap, gap or cycle the policy checks.</summary>
    public static readonly Duration ContactLookback = Duration.FromDays(31);

    public static readonly BorrowerFile Empty = new();

    public bool Exists { get; init; }

    public BorrowerProfile Profile { get; init; } = BorrowerProfile.None;

    public ImmutableArray<Debt> Debts { get; init; } = [];

    public RiskFacts Risk { get; init; } = new();

    /// <summary>The ladder position; its new-customer flag and payment segment are the profile's (see <see cref="BorrowerCase.Facts"/>).</summary>
    public LadderState Ladder { get; init; } = new();

    /// <summary>What suspended the ladder until <see cref="LadderState.SuspendedUntil"/> (a promise's kind).</summary>
    public string? SuspensionKind { get; init; }

    public Consent Consent { get; init; } = new();

    public ImmutableArray<OutboxMessage> Outbox { get; init; } = [];

    /// <summary>Contact attempts the policy's caps and gaps look at, oldest first.</summary>
    public ImmutableArray<ContactRecord> Contacts { get; init; } = [];

    public CaseCounts Counts { get; init; } = new();

    /// <summary>Payment and reply ids already applied, oldest first (a retry is recognised, not applied again).</summary>
    public ImmutableArray<string> ProcessedIds { get; init; } = [];

    public bool Resolved { get; init; }

    /// <summary>Debt cycle: a new oldest due date starts a new one, with new message keys.</summary>
    public int Cycle { get; init; }

    public Instant? NextActionAt { get; init; }

    public string? NextAction { get; init; }

    public ReminderTicks Reminder { get; init; } = new();

    /// <summary>When the first lease of a message still offered runs out.</summary>
    public Instant? NextLeaseEnd => Outbox.Where(m => m.Status == OutboxStatus.Offered).Select(m => m.LeaseUntil).Min();

    /// <summary>The oldest debt still owed; null when resolved or nothing is owed.</summary>
    public Debt? OldestOpenDebt => Resolved ? null : Debts.Where(d => d.Outstanding > 0).MinBy(d => d.DueDate);
}

/// <summary>Who the borrower is and where: everything the upsert sets besides debts and risk.</summary>
public sealed record BorrowerProfile(
    string PhoneE164,
    string? Name,
    string Locale,
    IReadOnlyList<string> TimeZones,
    string Region,
    string? Jurisdiction = null,
    LocalDate? Birthday = null,
    string? Segment = null,
    string PaymentSegment = "standard",
    bool IsNewCustomer = false)
{
    public static readonly BorrowerProfile None = new("", null, "en-US", [], "");

    /// <summary>The primary zone: local days, holidays and midnight are reckoned there.</summary>
    public DateTimeZone Zone => DateTimeZoneProviders.Tzdb[TimeZones.Count > 0 ? TimeZones[0] : "UTC"];

    /// <summary>The payment segment as the strategy knows it; null for a value that is not one.</summary>
    public static PaymentSegment? ParseSegment(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "standard" => Strategy.PaymentSegment.Standard,
        "ontime" or "on-time" => Strategy.PaymentSegment.OnTime,
        "repeatdelinquent" or "repeat-delinquent" => Strategy.PaymentSegment.RepeatDelinquent,
        _ => null,
    };
}

/// <summary>One debt: what is due, by when, and what has been paid on it.</summary>
public sealed record Debt(string DebtId, decimal AmountDue, string Currency, LocalDate DueDate, decimal Paid = 0)
{
    public decimal Outstanding => Math.Max(0, AmountDue - Paid);

    /// <summary>Same debt as far as the ladder is concerned (what was paid aside).</summary>
    public bool SameTerms(Debt other) =>
        DebtId == other.DebtId && AmountDue == other.AmountDue && Currency == other.Currency && DueDate == other.DueDate;
}

/// <summary>Risk inputs the lender sends, and an ops override of the tier.</summary>
public sealed record RiskFacts(decimal LateShareLast12Months = 0, int PriorDelinquencies = 0, int? CreditScore = null, TierOverride? Override = null);

/// <summary>What the borrower allowed, asked or is under: each flag holds collection messages back.</summary>
public sealed record Consent(
    bool OptedOut = false,
    bool Dispute = false,
    bool Complaint = false,
    bool LegalHold = false,
    bool Deceased = false,
    bool Bankruptcy = false,
    bool Paused = false,
    string? PauseReason = null,
    bool PlanOfferOpen = false);

public sealed record CaseCounts(int Sent = 0, int Delivered = 0, int Failed = 0, int Replies = 0);

/// <summary>
/// The borrower's one reminder: its first tick and period (a due time on a later tick needs no new registration).
/// What the grain asked for at registration until a tick says where the ticks really fall (see
/// <see cref="BorrowerCase.Ticked"/>): the silo that owns the reminder reads its own clock, so they can be off.
/// </summary>
public sealed record ReminderTicks(Instant? FirstTick = null, Duration Period = default)
{
    private static readonly Duration Tolerance = Duration.FromSeconds(1);

    /// <summary>
    /// Whether a tick falls on <paramref name="wake"/> or less than a second after it. A tick before it, however
    /// close, does not cover it: the step at that tick finds the wake not yet due, and the next tick is a period later.
    /// </summary>
    public bool Covers(Instant wake)
    {
        if (FirstTick is not { } first || Period <= Duration.Zero)
        {
            return false;
        }

        if (wake <= first)
        {
            return first - wake < Tolerance;
        }

        var sinceTick = (wake - first).BclCompatibleTicks % Period.BclCompatibleTicks;
        return sinceTick == 0 || Period.BclCompatibleTicks - sinceTick < Tolerance.BclCompatibleTicks;
    }
}

/// <summary>
/// Something that happened to the borrower, for its history. A message's events carry its key in
/// <see cref="Data"/> ("messageKey"), which makes the event's id deterministic (a redispatch records the same event).
/// </summary>
public sealed record CaseEvent(
    Instant At,
    string Kind,
    string Actor,
    string? Reason = null,
    string? Channel = null,
    string? Stage = null,
    ImmutableArray<(string Key, string Value)> Data = default);
