using System.Collections.Immutable;
using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>
/// Where a borrower's message stands. The order is the only way a status moves: <see cref="Pending"/> and
/// <see cref="Offered"/> are "not yet sent" (a message may go back from offered to pending, never from a
/// later status); <see cref="Accepted"/> means the provider took it; the rest are final.
/// </summary>
public enum OutboxStatus
{
    /// <summary>Decided, waiting for its slot or for a dispatcher to take it.</summary>
    Pending = 1,

    /// <summary>Handed to a dispatcher under a lease: confirmed or offered again when the lease runs out.</summary>
    Offered = 2,

    /// <summary>The provider accepted it (it counts as a contact; a receipt may follow).</summary>
    Accepted = 3,

    /// <summary>The provider says it reached the handset.</summary>
    Delivered = 4,

    /// <summary>Sent or tried, and failed (a failed receipt, or the dispatcher gave up).</summary>
    Failed = 5,

    /// <summary>The provider refused it for good (bad number, blocked content).</summary>
    Undeliverable = 6,

    /// <summary>Never sent: its allowed window closed and the policy offers no later one.</summary>
    Expired = 7,

    /// <summary>Never sent: the borrower asked to stop, or ops paused them, before it left.</summary>
    Cancelled = 8,
}

/// <summary>One message of a borrower's outbox. Its <see cref="Key"/> is the idempotency key everywhere.</summary>
/// <param name="Key">The message key (borrower, cycle, step).</param>
/// <param name="Channel">How it goes out.</param>
/// <param name="TemplateKey">What it says.</param>
/// <param name="Stage">The ladder step or transactional template it belongs to.</param>
/// <param name="Transactional">A confirmation or thank-you rather than a collection message.</param>
/// <param name="Urgent">An urgent collection step.</param>
/// <param name="CountsAsUnanswered">Its step adds to the unanswered run — once the provider accepted it.</param>
/// <param name="CreatedAt">When it was decided.</param>
/// <param name="SendBy">The end of its allowed window: it never leaves at or after this.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="NotBefore">The start of its allowed window (null: from when it was decided).</param>
/// <param name="LeaseUntil">While offered: when the dispatcher's lease runs out.</param>
/// <param name="Offers">How many times it was handed to a dispatcher.</param>
/// <param name="MaybeSent">
/// A lease ran out without an answer: a dispatcher may have sent it. Every later offer says so, and the
/// dispatcher resolves that doubt before sending (<see cref="Dispatching.DispatchQueue{T}"/>).
/// </param>
/// <param name="ToneVariant">The A/B tone variant, if any.</param>
public sealed record OutboxMessage(
    string Key,
    Channel Channel,
    string TemplateKey,
    string Stage,
    bool Transactional,
    bool Urgent,
    bool CountsAsUnanswered,
    Instant CreatedAt,
    Instant SendBy,
    OutboxStatus Status = OutboxStatus.Pending,
    Instant? NotBefore = null,
    Instant? LeaseUntil = null,
    int Offers = 0,
    bool MaybeSent = false,
    string? ToneVariant = null)
{
    /// <summary>Not sent yet (pending or offered): the only statuses a message can leave again.</summary>
    public bool Unsent => Status is OutboxStatus.Pending or OutboxStatus.Offered;

    /// <summary>Nothing more will happen to it but a late receipt.</summary>
    public bool Settled => !Unsent;

    /// <summary>Pending and its window is open at <paramref name="now"/>.</summary>
    public bool DueAt(Instant now) => Status == OutboxStatus.Pending && (NotBefore ?? CreatedAt) <= now && now < SendBy;
}

/// <summary>What happened to a message, for history, metrics and the borrower's counters.</summary>
public enum OutboxEventKind
{
    Queued,
    Offered,
    Deferred,
    Accepted,
    LeaseExpired,
    Returned,
    Rescheduled,
    Expired,
    Cancelled,
    Delivered,
    Failed,
    Undeliverable,

    /// <summary>The dispatcher's final failure of a message never accepted (its status says failed or undeliverable).</summary>
    GaveUp,
}

/// <summary>
/// One event of the outbox. For a rescheduled message <paramref name="At"/> is the new window's start and
/// <paramref name="From"/> the old one's.
/// </summary>
public sealed record OutboxEvent(OutboxEventKind Kind, OutboxMessage Message, string? Reason = null, Instant? At = null, Instant? From = null)
{
    /// <summary>
    /// The planned contact attempt this event takes back: a collection message that never left is no
    /// contact (expired, cancelled, given up), and a rescheduled one leaves its old slot.
    /// </summary>
    public Instant? ContactRemovedAt => Message.Transactional ? null : Kind switch
    {
        OutboxEventKind.Rescheduled => From,
        OutboxEventKind.Expired or OutboxEventKind.Cancelled or OutboxEventKind.GaveUp => Message.NotBefore ?? Message.CreatedAt,
        _ => null,
    };

    /// <summary>The planned contact attempt this event adds: a rescheduled collection message's new slot.</summary>
    public Instant? ContactAddedAt => !Message.Transactional && Kind == OutboxEventKind.Rescheduled ? At : null;

    /// <summary>Counts toward the borrower's sent messages (the provider accepted it).</summary>
    public bool CountsAsSent => Kind == OutboxEventKind.Accepted;

    /// <summary>Counts toward delivered (a delivery receipt).</summary>
    public bool CountsAsDelivered => Kind == OutboxEventKind.Delivered;

    /// <summary>Counts toward failed: a failed or undeliverable receipt, or the dispatcher's give-up.</summary>
    public bool CountsAsFailed => Kind is OutboxEventKind.Failed or OutboxEventKind.Undeliverable or OutboxEventKind.GaveUp;

    /// <summary>The history event kind it is recorded as; null for an event history does not show (an offer, a queueing the grain records itself).</summary>
    public string? HistoryKind => Kind switch
    {
        OutboxEventKind.Accepted => "message.sent",
        OutboxEventKind.LeaseExpired => "message.lease-expired",
        OutboxEventKind.GaveUp => Message.Status == OutboxStatus.Undeliverable ? "message.undeliverable" : "message.failed",
        OutboxEventKind.Queued or OutboxEventKind.Offered => null,
        _ => "message." + Kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>A new window for a message that could not leave in its own, or why there is none.</summary>
public readonly record struct Reslot(Instant? At, Instant? SendBy, string? Refusal)
{
    public static Reslot To(Instant at, Instant sendBy) => new(at, sendBy, null);

    public static Reslot None(string refusal) => new(null, null, refusal);
}

/// <summary>How a dispatcher answered an offer.</summary>
public enum HandOverAnswer
{
    /// <summary>Taken (or already held): it stays offered under its lease.</summary>
    Queued,

    /// <summary>The dispatcher has already had it accepted by the provider.</summary>
    AlreadyAccepted,

    /// <summary>Not now (queue full): pending again from <c>retryAt</c>.</summary>
    Deferred,
}

/// <summary>A receipt or a dispatcher's final word on a message.</summary>
public enum SendOutcome
{
    Delivered,
    Failed,
    Undeliverable,
}

/// <summary>
/// A borrower's outbox as a pure state machine: decisions and events out, no I/O. The grain stores the
/// messages, calls <see cref="Offer"/> after its write (so an offer is durable before a dispatcher sees
/// it) and feeds every answer back. Guarantees, proven by the model tests:
/// <list type="bullet">
/// <item>A message is never lost: an offer without an answer is offered again when its lease runs out,
/// under the same key, flagged <see cref="OutboxMessage.MaybeSent"/>.</item>
/// <item>Statuses only move forward; a message accepted by the provider never becomes unsent again.</item>
/// <item>A message is only offered inside its window (<see cref="OutboxMessage.NotBefore"/> ≤ now &lt;
/// <see cref="OutboxMessage.SendBy"/>); one whose window closed gets the policy's next window or
/// expires.</item>
/// <item>Only an accepted message counts as a contact that went unanswered.</item>
/// </list>
/// </summary>
public sealed class Outbox
{
    /// <summary>Settled messages kept for late receipts: at most this many, none older than <see cref="SettledKept"/>.</summary>
    public const int SettledWindow = 20;

    public static readonly Duration SettledKept = Duration.FromDays(7);

    private readonly List<OutboxMessage> _messages;
    private readonly List<OutboxEvent> _events = [];

    public Outbox(IEnumerable<OutboxMessage> messages) => _messages = [.. messages];

    public IReadOnlyList<OutboxMessage> Messages => _messages;

    /// <summary>What happened since this outbox was loaded (or since <see cref="TakeEvents"/>).</summary>
    public IReadOnlyList<OutboxEvent> Events => _events;

    public OutboxMessage? Find(string key) => _messages.Find(m => m.Key == key);

    public ImmutableArray<OutboxEvent> TakeEvents()
    {
        var taken = _events.ToImmutableArray();
        _events.Clear();
        return taken;
    }

    /// <summary>Records a decided message; a key already there is left as it is (a run repeated after a crash).</summary>
    public bool Add(OutboxMessage message)
    {
        if (Find(message.Key) is not null)
        {
            return false;
        }

        var added = message with { Status = OutboxStatus.Pending, Offers = 0, LeaseUntil = null, MaybeSent = false };
        _messages.Add(added);
        _events.Add(new OutboxEvent(OutboxEventKind.Queued, added));
        return true;
    }

    /// <summary>
    /// Offered messages whose lease ran out go back to pending, flagged as maybe sent; pending messages whose
    /// window closed get the next window from <paramref name="reslot"/> or expire.
    /// </summary>
    public void Review(Instant now, Func<OutboxMessage, Reslot> reslot)
    {
        for (var i = 0; i < _messages.Count; i++)
        {
            var message = _messages[i];
            if (message.Status == OutboxStatus.Offered && !(message.LeaseUntil > now))
            {
                message = _messages[i] = message with { Status = OutboxStatus.Pending, LeaseUntil = null, MaybeSent = true };
                _events.Add(new OutboxEvent(OutboxEventKind.LeaseExpired, message, "no answer from its dispatcher within the lease"));
            }

            if (message.Status == OutboxStatus.Pending && message.SendBy <= now)
            {
                Reschedule(i, reslot(message), "its allowed window closed before it could leave");
            }
        }
    }

    /// <summary>
    /// Marks every message due at <paramref name="now"/> as offered under a lease until now +
    /// <paramref name="lease"/> and returns them: the caller stores that, then hands them over.
    /// </summary>
    public ImmutableArray<OutboxMessage> Offer(Instant now, Duration lease)
    {
        var offered = ImmutableArray.CreateBuilder<OutboxMessage>();
        for (var i = 0; i < _messages.Count; i++)
        {
            if (_messages[i].DueAt(now))
            {
                var message = _messages[i] = _messages[i] with
                {
                    Status = OutboxStatus.Offered,
                    LeaseUntil = now + lease,
                    Offers = _messages[i].Offers + 1,
                };
                _events.Add(new OutboxEvent(OutboxEventKind.Offered, message));
                offered.Add(message);
            }
        }

        return offered.ToImmutable();
    }

    /// <summary>
    /// A dispatcher's answer to offer number <paramref name="offer"/>. Only that offer of an offered message
    /// changes; anything else is a late answer (but "the provider has it" is always true).
    /// </summary>
    public void Answered(string key, int offer, HandOverAnswer answer, Instant? retryAt = null, string? reason = null)
    {
        var i = IndexOf(key);
        if (i >= 0 && answer == HandOverAnswer.AlreadyAccepted && _messages[i].Unsent)
        {
            Accept(i); // the dispatcher knows the provider has it, whatever this borrower thought since
            return;
        }

        if (i < 0 || _messages[i].Status != OutboxStatus.Offered || _messages[i].Offers != offer)
        {
            return;
        }

        switch (answer)
        {
            case HandOverAnswer.Deferred:
                var message = _messages[i] = _messages[i] with
                {
                    Status = OutboxStatus.Pending,
                    LeaseUntil = null,
                    NotBefore = retryAt is { } at && at < _messages[i].SendBy ? at : _messages[i].NotBefore,
                };
                _events.Add(new OutboxEvent(OutboxEventKind.Deferred, message, reason, retryAt));
                break;
        }
    }

    /// <summary>The provider accepted the message (the dispatcher's confirmation). Idempotent.</summary>
    public bool Accepted(string key)
    {
        var i = IndexOf(key);
        if (i < 0 || !_messages[i].Unsent)
        {
            return false;
        }

        Accept(i);
        return true;
    }

    /// <summary>
    /// The dispatcher gives offer number <paramref name="offer"/> back unsent (its slot came after its
    /// send-by, or the dispatcher stopped): pending again, in its window if still open, else the next one.
    /// <paramref name="maybeSent"/>: a send of it got no answer, and that doubt stays with the message.
    /// </summary>
    public void Returned(string key, int offer, bool maybeSent, Instant now, string reason, Func<OutboxMessage, Reslot> reslot)
    {
        var i = IndexOf(key);
        if (i < 0 || _messages[i].Status != OutboxStatus.Offered || _messages[i].Offers != offer)
        {
            return;
        }

        var message = _messages[i] = _messages[i] with
        {
            Status = OutboxStatus.Pending,
            LeaseUntil = null,
            MaybeSent = _messages[i].MaybeSent || maybeSent,
        };
        _events.Add(new OutboxEvent(OutboxEventKind.Returned, message, reason));
        if (message.SendBy <= now)
        {
            Reschedule(i, reslot(message), reason);
        }
    }

    /// <summary>
    /// A delivery receipt from the provider. Only moves forward; a receipt for a message not yet confirmed
    /// proves the provider had it, so it is accepted first.
    /// </summary>
    public bool Receipt(string key, SendOutcome outcome, string? reason = null)
    {
        var i = IndexOf(key);
        if (i < 0 || _messages[i].Status >= OutboxStatus.Delivered)
        {
            return false;
        }

        if (_messages[i].Unsent)
        {
            Accept(i);
        }

        Finish(i, outcome, reason);
        return true;
    }

    /// <summary>
    /// The dispatcher's final word on offer number <paramref name="offer"/>: it gave up (transient failures,
    /// or a doubtful resend the account refuses) or the provider refused the message for good. Applies only
    /// to that offer of a message not yet sent; a failure is not a contact.
    /// </summary>
    public bool GaveUp(string key, int offer, SendOutcome outcome, string? reason = null)
    {
        var i = IndexOf(key);
        if (i < 0 || !_messages[i].Unsent || _messages[i].Offers != offer)
        {
            return false;
        }

        var status = outcome == SendOutcome.Undeliverable ? OutboxStatus.Undeliverable : OutboxStatus.Failed;
        var message = _messages[i] = _messages[i] with { Status = status, LeaseUntil = null };
        _events.Add(new OutboxEvent(OutboxEventKind.GaveUp, message, reason));
        return true;
    }

    /// <summary>Cancels collection messages not yet handed over (an opt-out, a pause).</summary>
    public void CancelPending(string reason)
    {
        for (var i = 0; i < _messages.Count; i++)
        {
            if (_messages[i].Status == OutboxStatus.Pending && !_messages[i].Transactional)
            {
                var message = _messages[i] = _messages[i] with { Status = OutboxStatus.Cancelled };
                _events.Add(new OutboxEvent(OutboxEventKind.Cancelled, message, reason));
            }
        }
    }

    /// <summary>When a pending message's window opens next (now when one is due); null when none is pending.</summary>
    public Instant? NextPending(Instant now) =>
        _messages.Where(m => m.Status == OutboxStatus.Pending).Select(m => m.NotBefore is { } at && at > now ? at : now)
            .Cast<Instant?>().Min();

    /// <summary>When the first lease of an offered message runs out; null when none is offered.</summary>
    public Instant? NextLeaseEnd() => _messages.Where(m => m.Status == OutboxStatus.Offered).Select(m => m.LeaseUntil).Min();

    /// <summary>Messages not sent yet (pending or offered).</summary>
    public int UnsentCount => _messages.Count(m => m.Unsent);

    /// <summary>Drops settled messages older than <see cref="SettledKept"/> and beyond <see cref="SettledWindow"/>.</summary>
    public void Prune(Instant now)
    {
        _messages.RemoveAll(m => m.Settled && m.CreatedAt < now - SettledKept);
        var settled = _messages.Where(m => m.Settled).OrderBy(m => m.CreatedAt).ToList();
        if (settled.Count > SettledWindow)
        {
            var drop = settled.Take(settled.Count - SettledWindow).Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
            _messages.RemoveAll(m => drop.Contains(m.Key));
        }
    }

    private void Finish(int i, SendOutcome outcome, string? reason)
    {
        var (status, kind) = outcome switch
        {
            SendOutcome.Delivered => (OutboxStatus.Delivered, OutboxEventKind.Delivered),
            SendOutcome.Undeliverable => (OutboxStatus.Undeliverable, OutboxEventKind.Undeliverable),
            _ => (OutboxStatus.Failed, OutboxEventKind.Failed),
        };
        var message = _messages[i] = _messages[i] with { Status = status, LeaseUntil = null };
        _events.Add(new OutboxEvent(kind, message, reason));
    }

    private void Accept(int i)
    {
        var message = _messages[i] = _messages[i] with { Status = OutboxStatus.Accepted, LeaseUntil = null };
        _events.Add(new OutboxEvent(OutboxEventKind.Accepted, message));
    }

    private void Reschedule(int i, Reslot slot, string reason)
    {
        if (slot is { At: { } at, SendBy: { } sendBy } && sendBy > at)
        {
            var from = _messages[i].NotBefore ?? _messages[i].CreatedAt;
            var message = _messages[i] = _messages[i] with { Status = OutboxStatus.Pending, NotBefore = at, SendBy = sendBy, LeaseUntil = null };
            _events.Add(new OutboxEvent(OutboxEventKind.Rescheduled, message, reason, at, from));
            return;
        }

        var expired = _messages[i] = _messages[i] with { Status = OutboxStatus.Expired, LeaseUntil = null };
        _events.Add(new OutboxEvent(OutboxEventKind.Expired, expired, $"{reason}; no later window: {slot.Refusal}"));
    }

    private int IndexOf(string key) => _messages.FindIndex(m => m.Key == key);
}
