using NodaTime;

namespace OrleansReminders.Domain.Dispatching;

/// <summary>
/// What a dispatcher does with a message that may already have been sent (a lease ran out without an
/// answer, or a send timed out): the per-account choice behind the delivery guarantee.
/// </summary>
public enum DoubtPolicy
{
    /// <summary>Ask the provider by client reference, and send only if it does not have the message.</summary>
    AskProvider,

    /// <summary>Send again: the borrower may get it twice, never zero times. Counted.</summary>
    AtLeastOnce,

    /// <summary>Do not send again: the borrower gets it once or not at all; reported failed. Counted.</summary>
    AtMostOnce,
}

/// <summary>
/// A message as a dispatcher holds it; <typeparamref name="T"/> is what the sender needs. <paramref name="Offer"/>
/// is the borrower's offer number: every notice carries it back, so the borrower ignores a late word about an
/// earlier offer.
/// </summary>
public sealed record DispatchItem<T>(string Key, int Offer, bool Transactional, Instant SendBy, bool MaybeSent, T Payload);

/// <summary>A dispatcher's answer to an offer.</summary>
public enum OfferResult
{
    /// <summary>Taken over.</summary>
    Queued,

    /// <summary>Already held (queued, waiting or being sent): nothing changes.</summary>
    AlreadyHeld,

    /// <summary>This dispatcher already had it accepted by the provider: the borrower records that now.</summary>
    AlreadyAccepted,

    /// <summary>The queue is full: the borrower keeps it and offers it again later.</summary>
    Full,
}

/// <summary>What the dispatcher does next with the message at the head of its queues.</summary>
public enum StepKind
{
    /// <summary>Send it in the slot.</summary>
    Send,

    /// <summary>Send it although a dispatcher may have sent it already (<see cref="DoubtPolicy.AtLeastOnce"/>): counted.</summary>
    SendAgain,

    /// <summary>Ask the provider whether it has the key before anything else (<see cref="DoubtPolicy.AskProvider"/>).</summary>
    Ask,

    /// <summary>Its send-by has passed: back to the borrower, unsent.</summary>
    Return,

    /// <summary>It may have been sent and the account does not resend (<see cref="DoubtPolicy.AtMostOnce"/>): reported failed, counted.</summary>
    GiveUp,
}

public sealed record DispatchStep<T>(StepKind Kind, DispatchItem<T> Item, string? Reason = null);

/// <summary>The provider's answer to one send, as the queue needs it.</summary>
public enum SendAttempt
{
    Accepted,

    /// <summary>Not an attempt: the account is throttled or its circuit is open; wait and try again.</summary>
    Throttled,

    /// <summary>A failure that may pass (5xx).</summary>
    Transient,

    /// <summary>The call failed without an answer (timeout, connection lost): the provider may have it.</summary>
    NoAnswer,

    /// <summary>Refused for good.</summary>
    Permanent,
}

/// <summary>What the borrower must be told.</summary>
public enum NoticeKind
{
    Accepted,
    Failed,
    Undeliverable,
    Returned,
}

/// <summary>
/// What to tell a borrower about its offer number <paramref name="Offer"/> of message <paramref name="Key"/>.
/// <paramref name="MaybeSent"/> on a returned message: a send of it got no answer, so the provider may
/// have it (the borrower keeps that doubt for every later offer).
/// </summary>
public sealed record DispatchNotice(NoticeKind Kind, string Key, int Offer, string? Reason = null, bool MaybeSent = false);

/// <summary>
/// A dispatcher's queue as a pure state machine. It lives in the dispatcher's memory only: a crash loses
/// it, and the borrowers' leases bring every message back (<see cref="Borrowers.Outbox"/>). The queue
/// remembers keys — held and recently accepted — so an offer repeated after a lease ran out is recognised
/// while this activation lives; a key it does not know but that arrives flagged "maybe sent" is resolved
/// by the account's <see cref="DoubtPolicy"/> before anything is sent. Transactional messages go first; a
/// retry goes to the front of its class once its wait is over.
/// </summary>
public sealed class DispatchQueue<T>
{
    private readonly LinkedList<Entry> _transactional = new();
    private readonly LinkedList<Entry> _collection = new();
    private readonly List<Entry> _waiting = [];
    private readonly Dictionary<string, Entry> _keys = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly int _maxAttempts;
    private readonly Duration _acceptedKept;
    private int _inFlight;

    /// <param name="capacity">Messages held at most (queued, waiting or in flight).</param>
    /// <param name="maxAttempts">Transient failures after which a message is reported failed.</param>
    /// <param name="acceptedKept">How long an accepted key is remembered for repeated offers.</param>
    public DispatchQueue(int capacity, int maxAttempts, Duration acceptedKept)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        (_capacity, _maxAttempts, _acceptedKept) = (capacity, maxAttempts, acceptedKept);
    }

    /// <summary>Messages queued, waiting to retry or being sent.</summary>
    public int Held => _transactional.Count + _collection.Count + _waiting.Count + _inFlight;

    /// <summary>Messages ready for a slot now (queued, not waiting).</summary>
    public int Ready => _transactional.Count + _collection.Count;

    public int InFlight => _inFlight;

    /// <summary>The earliest time a waiting message becomes ready; null when none waits.</summary>
    public Instant? NextRetryAt => _waiting.Count == 0 ? null : _waiting.Min(w => w.NotBefore);

    /// <summary>The key of the message that goes next once its wait is over at <paramref name="now"/>; null when none is ready.</summary>
    public string? PeekNext(Instant now)
    {
        PromoteDue(now);
        return (_transactional.First ?? _collection.First)?.Value.Item.Key;
    }

    /// <summary>Takes a message over, or recognises it.</summary>
    public OfferResult Offer(DispatchItem<T> item)
    {
        if (_keys.TryGetValue(item.Key, out var known))
        {
            return known.Phase == Phase.Accepted ? OfferResult.AlreadyAccepted : OfferResult.AlreadyHeld;
        }

        if (Held >= _capacity)
        {
            return OfferResult.Full;
        }

        var entry = new Entry(item);
        _keys[item.Key] = entry;
        QueueOf(item).AddLast(entry);
        return OfferResult.Queued;
    }

    /// <summary>
    /// The next thing to do at <paramref name="now"/>, or null when nothing is ready. A message returned
    /// by <see cref="StepKind.Send"/>, <see cref="StepKind.SendAgain"/> or <see cref="StepKind.Ask"/> is
    /// in flight until its outcome comes back; one returned by <see cref="StepKind.Return"/> or
    /// <see cref="StepKind.GiveUp"/> is forgotten.
    /// </summary>
    public DispatchStep<T>? Next(Instant now, DoubtPolicy policy)
    {
        PromoteDue(now);
        foreach (var queue in new[] { _transactional, _collection })
        {
            if (queue.First is not { } first)
            {
                continue;
            }

            queue.RemoveFirst();
            var entry = first.Value;
            if (entry.Item.SendBy <= now)
            {
                _keys.Remove(entry.Item.Key);
                return new DispatchStep<T>(StepKind.Return, entry.Item, "its send-by deadline passed before a send slot was free");
            }

            if (entry.Item.MaybeSent && policy == DoubtPolicy.AtMostOnce)
            {
                _keys.Remove(entry.Item.Key);
                return new DispatchStep<T>(StepKind.GiveUp, entry.Item, "may have been sent already; the account does not resend (at most once)");
            }

            entry.Phase = Phase.InFlight;
            _inFlight++;
            var kind = !entry.Item.MaybeSent ? StepKind.Send : policy == DoubtPolicy.AskProvider ? StepKind.Ask : StepKind.SendAgain;
            return new DispatchStep<T>(kind, entry.Item);
        }

        return null;
    }

    /// <summary>
    /// The provider's answer to "do you have this key?": yes → accepted; no → sent normally next;
    /// no answer (null) → held and asked again after <paramref name="retryAfter"/> (unknown is never
    /// guessed).
    /// </summary>
    public DispatchNotice? Looked(string key, bool? found, Instant now, Duration retryAfter)
    {
        if (!TakeInFlight(key, out var entry))
        {
            return null;
        }

        switch (found)
        {
            case true:
                return Accept(entry, now);
            case false:
                entry.Item = entry.Item with { MaybeSent = false };
                entry.Phase = Phase.Queued;
                QueueOf(entry.Item).AddFirst(entry);
                return null;
            default:
                Wait(entry, now + retryAfter);
                return null;
        }
    }

    /// <summary>
    /// The outcome of a send. <paramref name="retryAt"/> is when a throttled or transiently failed message
    /// may go again. A send without an answer leaves the message "maybe sent": its next attempt resolves
    /// the doubt first.
    /// </summary>
    public DispatchNotice? Sent(string key, SendAttempt attempt, Instant now, Instant retryAt, string? reason = null)
    {
        if (!TakeInFlight(key, out var entry))
        {
            return null;
        }

        switch (attempt)
        {
            case SendAttempt.Accepted:
                return Accept(entry, now);
            case SendAttempt.Throttled:
                Wait(entry, retryAt);
                return null;
            case SendAttempt.Permanent:
                _keys.Remove(key);
                return new DispatchNotice(NoticeKind.Undeliverable, key, entry.Item.Offer, reason ?? "refused by the provider");
        }

        entry.Attempts++;
        if (attempt == SendAttempt.NoAnswer)
        {
            // The provider may have it: never give up on a doubt. The next step resolves it (ask, or the
            // account's choice); a message that keeps getting no answer goes back at its send-by.
            entry.Item = entry.Item with { MaybeSent = true };
        }
        else if (entry.Attempts >= _maxAttempts)
        {
            _keys.Remove(key);
            return new DispatchNotice(NoticeKind.Failed, key, entry.Item.Offer, $"gave up after {entry.Attempts} attempts: {reason ?? attempt.ToString()}");
        }

        Wait(entry, retryAt);
        return null;
    }

    /// <summary>Attempts so far of a held message (transient failures).</summary>
    public int AttemptsOf(string key) => _keys.TryGetValue(key, out var entry) ? entry.Attempts : 0;

    /// <summary>Forgets accepted keys older than the keep window.</summary>
    public void ForgetAccepted(Instant now)
    {
        foreach (var key in _keys.Where(k => k.Value.Phase == Phase.Accepted && now - k.Value.AcceptedAt > _acceptedKept).Select(k => k.Key).ToList())
        {
            _keys.Remove(key);
        }
    }

    /// <summary>A graceful stop: every message not in flight leaves the queue, to be returned to its borrower.</summary>
    public IReadOnlyList<DispatchItem<T>> Drain()
    {
        var drained = _transactional.Concat(_collection).Concat(_waiting).Select(e => e.Item).ToList();
        foreach (var item in drained)
        {
            _keys.Remove(item.Key);
        }

        _transactional.Clear();
        _collection.Clear();
        _waiting.Clear();
        return drained;
    }

    private DispatchNotice Accept(Entry entry, Instant now)
    {
        entry.Phase = Phase.Accepted;
        entry.AcceptedAt = now;
        return new DispatchNotice(NoticeKind.Accepted, entry.Item.Key, entry.Item.Offer);
    }

    private void Wait(Entry entry, Instant notBefore)
    {
        entry.Phase = Phase.Waiting;
        entry.NotBefore = notBefore;
        _waiting.Add(entry);
    }

    private bool TakeInFlight(string key, out Entry entry)
    {
        if (!_keys.TryGetValue(key, out entry!) || entry.Phase != Phase.InFlight)
        {
            return false;
        }

        _inFlight--;
        return true;
    }

    private void PromoteDue(Instant now)
    {
        for (var i = _waiting.Count - 1; i >= 0; i--)
        {
            var entry = _waiting[i];
            if (entry.NotBefore <= now)
            {
                _waiting.RemoveAt(i);
                entry.Phase = Phase.Queued;
                QueueOf(entry.Item).AddFirst(entry);
            }
        }
    }

    private LinkedList<Entry> QueueOf(DispatchItem<T> item) => item.Transactional ? _transactional : _collection;

    private enum Phase
    {
        Queued,
        Waiting,
        InFlight,
        Accepted,
    }

    private sealed class Entry(DispatchItem<T> item)
    {
        public DispatchItem<T> Item { get; set; } = item;

        public Phase Phase { get; set; } = Phase.Queued;

        public int Attempts { get; set; }

        public Instant NotBefore { get; set; }

        public Instant AcceptedAt { get; set; }
    }
}
