using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.History;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// Everything a borrower grain keeps. Stored in Orleans' binary format by the ADO.NET provider: the
/// [Id]s are the stored schema (add new ones, never reuse or renumber). Instants are UTC
/// <see cref="DateTimeOffset"/>s, dates are the borrower's local calendar dates. No object is shared
/// within a state, so its types skip the serializer's reference tracking (cheaper on every write). The grain
/// works on the domain's <see cref="Domain.Borrowers.BorrowerFile"/> and maps it here for each write
/// (<see cref="BorrowerStateMapper"/>).
/// </summary>
[GenerateSerializer, SuppressReferenceTracking]
public sealed class BorrowerState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public ProfileState Profile { get; set; } = new();
    [Id(2)] public List<DebtState> Debts { get; set; } = [];
    [Id(3)] public RiskState Risk { get; set; } = new();
    [Id(4)] public LadderPosition Ladder { get; set; } = new();
    [Id(5)] public ConsentState Consent { get; set; } = new();
    [Id(6)] public List<OutboxEntry> Outbox { get; set; } = [];
    /// <summary>
    /// The recent window, oldest first. Each event is encoded once, when it is recorded
    /// (<see cref="RecentEventCodec"/>), so a state write copies these bytes instead of encoding the
    /// whole window again on every step.
    /// </summary>
    [Id(7)] public List<byte[]> Recent { get; set; } = [];
    /// <summary>Events not yet appended to the contact event store, as written by earlier builds (read, then drained).</summary>
    [Id(8)] public List<ContactEvent> Unflushed { get; set; } = [];
    [Id(9)] public List<ContactAttempt> Contacts { get; set; } = [];
    [Id(10)] public ReminderSchedule Reminder { get; set; } = new();
    [Id(11)] public DateTimeOffset? NextActionAt { get; set; }
    [Id(12)] public string? NextAction { get; set; }
    [Id(13)] public Counters Counts { get; set; } = new();
    [Id(14)] public List<string> ProcessedIds { get; set; } = [];
    [Id(15)] public bool Resolved { get; set; }
    [Id(16)] public int Cycle { get; set; }

    /// <summary>
    /// Events not yet appended to the contact event store, oldest first, in the encoding of <see cref="Recent"/>
    /// (the same arrays): a write copies their bytes instead of serialising each event a second time.
    /// </summary>
    [Id(17)] public List<byte[]> Pending { get; set; } = [];
}

[GenerateSerializer, SuppressReferenceTracking]
public sealed class ProfileState
{
    [Id(0)] public string PhoneE164 { get; set; } = "";
    [Id(1)] public string? Name { get; set; }
    [Id(2)] public string Locale { get; set; } = "en-US";
    [Id(3)] public List<string> TimeZones { get; set; } = [];
    [Id(4)] public string Region { get; set; } = "";
    [Id(5)] public string? Jurisdiction { get; set; }
    [Id(6)] public DateOnly? Birthday { get; set; }
    [Id(7)] public string? Segment { get; set; }
    [Id(8)] public string PaymentSegment { get; set; } = "standard";
    [Id(9)] public bool IsNewCustomer { get; set; }
}

[GenerateSerializer, SuppressReferenceTracking]
public sealed class DebtState
{
    [Id(0)] public string DebtId { get; set; } = "";
    [Id(1)] public decimal AmountDue { get; set; }
    [Id(2)] public decimal Paid { get; set; }
    [Id(3)] public string Currency { get; set; } = "";
    [Id(4)] public DateOnly DueDate { get; set; }

    public decimal Outstanding => Math.Max(0, AmountDue - Paid);
}

[GenerateSerializer, SuppressReferenceTracking]
public sealed class RiskState
{
    [Id(0)] public decimal LateShareLast12Months { get; set; }
    [Id(1)] public int PriorDelinquencies { get; set; }
    [Id(2)] public int? CreditScore { get; set; }
    [Id(3)] public string? OverrideTier { get; set; }
    [Id(4)] public string? OverrideReason { get; set; }
    [Id(5)] public string? OverrideOperator { get; set; }
    [Id(6)] public DateTimeOffset? OverrideAt { get; set; }
}

[GenerateSerializer, SuppressReferenceTracking]
public sealed class LadderPosition
{
    [Id(0)] public int LastStepIndex { get; set; } = -1;
    [Id(1)] public int ConsecutiveUnanswered { get; set; }
    [Id(2)] public int EscalationsDone { get; set; }
    [Id(3)] public DateOnly? LastActionDate { get; set; }
    [Id(4)] public DateOnly? SuspendedUntil { get; set; }
    [Id(5)] public string? SuspensionKind { get; set; }
}

[GenerateSerializer, SuppressReferenceTracking]
public sealed class ConsentState
{
    [Id(0)] public bool OptedOut { get; set; }
    [Id(1)] public bool Dispute { get; set; }
    [Id(2)] public bool Complaint { get; set; }
    [Id(3)] public bool LegalHold { get; set; }
    [Id(4)] public bool Deceased { get; set; }
    [Id(5)] public bool Bankruptcy { get; set; }
    [Id(6)] public bool Paused { get; set; }
    [Id(7)] public string? PauseReason { get; set; }
    [Id(8)] public bool PlanOfferOpen { get; set; }
}

/// <summary>
/// A message of the outbox (the domain's <see cref="Domain.Borrowers.OutboxMessage"/>, mapped by
/// <see cref="OutboxState"/>); its key is the idempotency key. <see cref="RetryAt"/> holds the start of its
/// allowed window and <see cref="Attempts"/> its offer count. <see cref="HandedOver"/> and
/// <see cref="Status"/> are kept for state written before <see cref="Phase"/> existed.
/// </summary>
[GenerateSerializer, SuppressReferenceTracking]
public sealed class OutboxEntry
{
    [Id(0)] public string Key { get; set; } = "";
    [Id(1)] public string Channel { get; set; } = "";
    [Id(2)] public string TemplateKey { get; set; } = "";
    [Id(3)] public bool Transactional { get; set; }
    [Id(4)] public bool Urgent { get; set; }
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public DateTimeOffset SendBy { get; set; }
    [Id(7)] public DeliveryStatus Status { get; set; } = DeliveryStatus.Queued;
    [Id(8)] public bool HandedOver { get; set; }
    [Id(9)] public DateTimeOffset? RetryAt { get; set; }
    [Id(10)] public int Attempts { get; set; }
    [Id(11)] public string? ToneVariant { get; set; }
    [Id(12)] public string? Stage { get; set; }

    /// <summary>Unused since the outbox moved to the domain (its contact attempt is at the window's start).</summary>
    [Id(13)] public DateTimeOffset? ContactAt { get; set; }

    /// <summary>The domain's <see cref="Domain.Borrowers.OutboxStatus"/>; 0 in state written by earlier builds.</summary>
    [Id(14)] public int Phase { get; set; }

    /// <summary>While offered: when the dispatcher's lease runs out.</summary>
    [Id(15)] public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>An offer went unanswered: a dispatcher may have sent it.</summary>
    [Id(16)] public bool MaybeSent { get; set; }

    /// <summary>Its step adds to the unanswered run once accepted.</summary>
    [Id(17)] public bool CountsAsUnanswered { get; set; }
}

[GenerateSerializer, SuppressReferenceTracking]
public sealed class ContactAttempt
{
    [Id(0)] public string Channel { get; set; } = "";
    [Id(1)] public DateTimeOffset At { get; set; }
    [Id(2)] public bool Transactional { get; set; }
    [Id(3)] public bool Connected { get; set; }
}

/// <summary>The one Orleans reminder: when its first tick is and its period, so a covered due time needs no write.</summary>
[GenerateSerializer, SuppressReferenceTracking]
public sealed class ReminderSchedule
{
    [Id(0)] public DateTimeOffset? FirstTick { get; set; }
    [Id(1)] public TimeSpan Period { get; set; }
}

[GenerateSerializer, SuppressReferenceTracking]
public sealed class Counters
{
    [Id(0)] public int Sent { get; set; }
    [Id(1)] public int Delivered { get; set; }
    [Id(2)] public int Failed { get; set; }
    [Id(3)] public int Replies { get; set; }
}
