using System.Globalization;
using Microsoft.Extensions.Logging;
using NodaTime;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Grains.Messaging;
using OrleansReminders.Grains.Time;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// The outbox side of a borrower: the domain's <see cref="Outbox"/> decides, this part records its events
/// (history, counters, contact attempts, the unanswered run), hands offered messages to the dispatcher pool
/// after the state write, and keeps a timer on the first lease.
/// </summary>
public sealed partial class BorrowerGrain
{
    private Outbox? _outbox;
    private IGrainTimer? _leaseTimer;

    private Outbox TheOutbox => _outbox ??= OutboxState.Load(State);

    private void QueueStep(PlanSend send, Domain.Common.RiskTier tier, Instant now)
    {
        var action = send.Action;
        foreach (var skipped in action.SkippedStepIndices)
        {
            Record("step.skipped", "system", "its date had passed", stage: $"L{skipped}");
        }

        BorrowerFactsMapper.Apply(State, LadderProgress.AfterAction(BorrowerFactsMapper.ToLadderState(State), action, Today()));
        var key = new MessageKey(Id, State.Cycle, action.StepKey).ToString();
        var message = new OutboxMessage(key, action.Channel, action.TemplateKey, action.StepKey, Transactional: false,
            action.Urgency == Domain.Strategy.StepUrgency.Urgent, action.CountsAsUnanswered, now, send.SendBy, ToneVariant: action.ToneVariant);
        if (!TheOutbox.Add(message))
        {
            return; // recorded on an earlier run
        }

        State.Contacts.Add(new ContactAttempt { Channel = action.Channel.ToString(), At = now.ToDateTimeOffset() });
        Trim(State.Contacts, BorrowerState.ContactWindow);
        Record("message.queued", "system", action.IsEscalation ? "escalation" : "ladder", Lower(action.Channel), action.StepKey,
            ("messageKey", key), ("template", action.TemplateKey), ("tier", tier.ToString().ToLowerInvariant()), ("variant", action.ToneVariant ?? "default"));
    }

    private void QueueTransactional(string templateKey)
    {
        var now = Now();
        var key = new MessageKey(Id, State.Cycle, templateKey).ToString();
        if (!State.Consent.OptedOut && TheOutbox.Add(new OutboxMessage(key, Domain.Common.Channel.Sms, templateKey, templateKey,
            Transactional: true, Urgent: false, CountsAsUnanswered: false, now, now + Duration.FromDays(1))))
        {
            Record("message.queued", "system", "transactional", "sms", templateKey, ("messageKey", key));
        }
    }

    /// <summary>The policy's next window for a message that could not leave in its own (its own attempt set aside).</summary>
    private Reslot NextWindow(OutboxMessage message)
    {
        if (!message.Transactional)
        {
            var attemptAt = (message.NotBefore ?? message.CreatedAt).ToDateTimeOffset();
            State.Contacts.RemoveAll(c => c.At == attemptAt && !c.Transactional);
        }

        var slot = services.Planner.Reslot(BorrowerFactsMapper.ToFacts(State, _tier), Now(), message.Channel, message.Transactional, message.Urgent, out var refusal);
        return slot is { } next ? Reslot.To(next.At, next.SendBy) : Reslot.None(refusal ?? "no allowed window");
    }

    /// <summary>Turns what the outbox decided into history, counters and contact attempts.</summary>
    private void ApplyOutboxEvents()
    {
        foreach (var e in TheOutbox.TakeEvents())
        {
            var m = e.Message;
            State.Counts.Sent += e.CountsAsSent ? 1 : 0;
            State.Counts.Delivered += e.CountsAsDelivered ? 1 : 0;
            State.Counts.Failed += e.CountsAsFailed ? 1 : 0;
            if (e.CountsAsSent)
            {
                BorrowerFactsMapper.Apply(State, LadderProgress.AfterAccepted(BorrowerFactsMapper.ToLadderState(State), m.CountsAsUnanswered));
            }

            if (e.ContactRemovedAt is { } removed)
            {
                State.Contacts.RemoveAll(c => c.At == removed.ToDateTimeOffset() && !c.Transactional);
            }

            if (e.ContactAddedAt is { } added)
            {
                State.Contacts.Add(new ContactAttempt { Channel = m.Channel.ToString(), At = added.ToDateTimeOffset() });
            }

            if (e.HistoryKind is not { } kind)
            {
                continue;
            }

            (string, string)? data = e.Kind switch
            {
                OutboxEventKind.Accepted => ("attempt", m.Offers.ToString(CultureInfo.InvariantCulture)),
                OutboxEventKind.LeaseExpired or OutboxEventKind.Returned => ("offer", m.Offers.ToString(CultureInfo.InvariantCulture)),
                OutboxEventKind.Rescheduled => ("at", e.At!.Value.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture)),
                _ => null,
            };
            var byProvider = e.Kind is OutboxEventKind.Delivered or OutboxEventKind.Failed or OutboxEventKind.Undeliverable;
            RecordMessage(kind, m, e.Kind == OutboxEventKind.Accepted ? null : e.Reason, data, byProvider ? "provider" : "system");
        }
    }

    /// <summary>
    /// Puts the outbox into state, dropping settled messages and contact attempts no rule looks at any more:
    /// once before each write and before each call's copy (<see cref="BeginChange"/>), not after every change.
    /// </summary>
    private void SyncOutbox()
    {
        if (_outbox is null)
        {
            return; // not loaded: state holds it as stored
        }

        _outbox.Prune(Now());
        State.Contacts.RemoveAll(c => c.At < Now().ToDateTimeOffset() - BorrowerState.ContactLookback);
        State.Outbox = OutboxState.Entries(_outbox);
    }

    /// <summary>
    /// Hands the offered messages (already stored as offered) to the dispatcher pool and applies the answers.
    /// A call that fails leaves the message offered: its lease brings it back. Then arms the lease timer.
    /// </summary>
    private async Task HandOverAsync(IReadOnlyList<OutboxMessage> offered)
    {
        foreach (var message in offered)
        {
            DispatchResult result;
            try
            {
                result = await services.Dispatcher.DispatchAsync(ToOutbound(message));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogHandOverFailed(services.Logger, ex, Id, message.Key);
                continue;
            }

            switch (result.Outcome)
            {
                case DispatchOutcome.Accepted:
                    TheOutbox.Answered(message.Key, message.Offers, HandOverAnswer.Queued);
                    break;
                case DispatchOutcome.AlreadySent:
                    TheOutbox.Answered(message.Key, message.Offers, HandOverAnswer.AlreadyAccepted);
                    break;
                case DispatchOutcome.Deferred:
                    var retryAt = result.RetryAt is { } at ? Instant.FromDateTimeOffset(at) : Now() + Duration.FromMinutes(1);
                    TheOutbox.Answered(message.Key, message.Offers, HandOverAnswer.Deferred, retryAt, result.Reason);
                    break;
                default:
                    TheOutbox.GaveUp(message.Key, message.Offers, SendOutcome.Failed, result.Reason);
                    break;
            }
        }

        if (TheOutbox.Events.Count > 0)
        {
            // An answer changed the outbox. "Sent at once" is kept like a dispatcher's report (stored with the
            // next write); deferred or refused is stored now. The usual answer ("taken over") changes nothing.
            var onlyAccepted = TheOutbox.Events.All(e => e.Kind == OutboxEventKind.Accepted);
            ApplyOutboxEvents();
            _dirty = true;
            if (State.NextActionAt is null && TheOutbox.NextLeaseEnd() is null)
            {
                await UnscheduleAsync(); // the reminder was kept for this lease only
                await WriteAsync();
            }
            else if (!onlyAccepted)
            {
                await WriteAsync();
            }
        }

        ArmLeaseTimer();
    }

    /// <summary>
    /// While a message is offered the activation stays and wakes when its lease runs out, so a lost dispatcher
    /// costs one lease, not a reminder period. If this silo dies too, the borrower's next reminder tick offers it.
    /// </summary>
    private void ArmLeaseTimer()
    {
        _leaseTimer?.Dispose();
        _leaseTimer = null;
        if (TheOutbox.NextLeaseEnd() is not { } end)
        {
            return;
        }

        var due = BusinessClock.ToReal(services.Clock, (end - Now()).ToTimeSpan());
        _leaseTimer = this.RegisterGrainTimer(async () =>
        {
            if (State.Exists)
            {
                BeginChange();
                await RunAsync();
            }
        }, new GrainTimerCreationOptions
        {
            DueTime = due > TimeSpan.Zero ? due + TimeSpan.FromMilliseconds(10) : TimeSpan.Zero,
            Period = Timeout.InfiniteTimeSpan,
            KeepAlive = true,
        });
    }

    /// <summary>
    /// The provider accepted a message (its dispatcher's report). Kept in this activation and stored with its
    /// next write — the delivery receipt, the next step, or the deactivation — not by a write of its own: if
    /// the activation is lost first, the stored offer's lease brings the question back, and the dispatcher or
    /// the provider answers it again. A later call's failed write keeps it (<see cref="BeginChange"/>).
    /// </summary>
    private async Task<Contracts.Borrowers.CommandResult> AcceptedAsync(string key)
    {
        if (!TheOutbox.Accepted(key))
        {
            return Contracts.Borrowers.CommandResult.Accepted("unchanged: a late report about an earlier offer");
        }

        ApplyOutboxEvents();
        _dirty = true;
        ArmLeaseTimer();
        await FlushAfterRunAsync();
        return Contracts.Borrowers.CommandResult.Accepted("accepted");
    }

    private OutboundMessage ToOutbound(OutboxMessage m) => new(
        m.Key, Id, m.Channel.ToWire(), m.TemplateKey, _tier.ToWire(), State.Profile.Locale, m.Transactional, m.Urgent,
        m.SendBy.ToDateTimeOffset(), m.ToneVariant, State.Profile.PhoneE164, Values(), m.Offers, m.MaybeSent);

    private MessageValues? Values()
    {
        var debt = BorrowerFactsMapper.OldestOpenDebt(State) ?? State.Debts.MaxBy(d => d.DueDate);
        if (debt is null)
        {
            return null;
        }

        var overdue = Period.Between(LocalDate.FromDateOnly(debt.DueDate), Today(), PeriodUnits.Days).Days;
        return new MessageValues(State.Profile.Name ?? "", debt.Outstanding, debt.Currency, debt.DueDate, Math.Max(0, overdue));
    }

    private void RecordMessage(string kind, OutboxMessage m, string? reason, (string Key, string Value)? data = null, string actor = "system") =>
        Record(kind, actor, reason, Lower(m.Channel), m.Stage, data is { } d ? [("messageKey", m.Key), d] : [("messageKey", m.Key)]);

    private static string Lower(Domain.Common.Channel channel) => channel.ToString().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Borrower {BorrowerId}: handing over {MessageKey} failed; its lease brings it back")]
    private static partial void LogHandOverFailed(ILogger logger, Exception exception, string borrowerId, string messageKey);
}
