using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Contracts.History;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Borrowers;

public sealed partial class BorrowerGrain
{
    private static readonly TimeSpan FlushRetry = TimeSpan.FromSeconds(30);
    private bool _dirty;
    private bool _discarded;
    private IGrainTimer? _flushRetry;
    private Domain.Common.RiskTier _tier;
    private ImmutableArray<ContactEvent>? _recent;

    /// <summary>
    /// Plan, record at most one due action in the outbox, schedule the next wake-up, write state once,
    /// then hand the outbox over and flush history. Idempotent: a second run for the same step finds the
    /// ladder already past it.
    /// </summary>
    private async Task RunAsync()
    {
        var now = Instant.FromDateTimeOffset(services.Clock.GetUtcNow());
        ExpireOverdue(now);
        var tier = _tier = BorrowerFactsMapper.Assess(State, services.Tiering, Today()).EffectiveTier;
        var plan = services.Planner.Plan(BorrowerFactsMapper.ToFacts(State, tier), now);
        if (plan is PlanSend send)
        {
            Queue(send, tier, now);
            var after = services.Planner.Plan(BorrowerFactsMapper.ToFacts(State, tier), now);
            plan = after is PlanSend ? new PlanWait(now + Duration.FromMinutes(1), "another step is due") : after;
        }

        if (plan is PlanWait { DeferredBy: { } rule })
        {
            Diagnostics.ServiceMetrics.Deferral(Domain.Policy.PolicyReasonCodes.Code(rule));
        }

        await ScheduleAsync(plan, now);
        await WriteAsync();
        await DispatchPendingAsync();
        await FlushAfterRunAsync();
    }

    /// <summary>
    /// History goes out at the end of every run. The store batches what every grain of the silo appends
    /// meanwhile into one insert, so a busy silo issues few statements and no grain needs a timer for
    /// it. The events are in state until written, so a crash loses none: the next activation writes
    /// them. A failed write is retried by a timer (<see cref="FlushRetry"/>) until it succeeds.
    /// </summary>
    private async Task FlushAfterRunAsync()
    {
        if (!await FlushEventsAsync() && _flushRetry is null)
        {
            _flushRetry = this.RegisterGrainTimer(async () =>
            {
                if (await FlushEventsAsync())
                {
                    _flushRetry?.Dispose();
                    _flushRetry = null;
                }
            }, new GrainTimerCreationOptions { DueTime = FlushRetry, Period = FlushRetry, KeepAlive = true });
        }
    }

    private void Queue(PlanSend send, Domain.Common.RiskTier tier, Instant now)
    {
        var action = send.Action;
        var key = new MessageKey(Id, State.Cycle, action.StepKey).ToString();
        foreach (var skipped in action.SkippedStepIndices)
        {
            Record("step.skipped", "system", "its date had passed", stage: $"L{skipped}");
        }

        BorrowerFactsMapper.Apply(State, LadderProgress.AfterAction(BorrowerFactsMapper.ToLadderState(State), action, Today()));
        if (State.Outbox.Exists(o => o.Key == key))
        {
            return; // already recorded on an earlier run
        }

        State.Outbox.Add(new OutboxEntry
        {
            Key = key,
            Channel = action.Channel.ToString().ToLowerInvariant(),
            TemplateKey = action.TemplateKey,
            Urgent = action.Urgency == Domain.Strategy.StepUrgency.Urgent,
            CreatedAt = now.ToDateTimeOffset(),
            SendBy = send.SendBy.ToDateTimeOffset(),
            ToneVariant = action.ToneVariant,
            Stage = action.StepKey,
        });
        State.Contacts.Add(new ContactAttempt { Channel = action.Channel.ToString(), At = now.ToDateTimeOffset() });
        Trim(State.Contacts, BorrowerState.ContactWindow);
        Record("message.queued", "system", action.IsEscalation ? "escalation" : "ladder", action.Channel.ToString().ToLowerInvariant(),
            action.StepKey, ("messageKey", key), ("template", action.TemplateKey), ("tier", tier.ToString().ToLowerInvariant()),
            ("variant", action.ToneVariant ?? "default"));
    }

    private void QueueTransactional(string templateKey)
    {
        var now = services.Clock.GetUtcNow();
        var key = new MessageKey(Id, State.Cycle, templateKey).ToString();
        if (State.Consent.OptedOut || State.Outbox.Exists(o => o.Key == key))
        {
            return;
        }

        State.Outbox.Add(new OutboxEntry
        {
            Key = key, Channel = "sms", TemplateKey = templateKey, Transactional = true, CreatedAt = now,
            SendBy = now.AddDays(1), Stage = templateKey,
        });
        Record("message.queued", "system", "transactional", "sms", templateKey, ("messageKey", key));
    }

    private void CancelQueued(string reason)
    {
        foreach (var entry in State.Outbox.Where(o => !o.HandedOver && !o.Transactional))
        {
            entry.HandedOver = true;
            entry.Status = DeliveryStatus.Undeliverable;
            Record("message.cancelled", "system", reason, entry.Channel, entry.Stage, ("messageKey", entry.Key));
        }
    }

    /// <summary>
    /// Messages still in the outbox whose allowed window closed (held back by backpressure or retries)
    /// get the next allowed window instead of being dropped.
    /// </summary>
    private void ExpireOverdue(Instant now)
    {
        foreach (var entry in State.Outbox.Where(o => !o.HandedOver && o.SendBy < now.ToDateTimeOffset()).ToList())
        {
            Reslot(entry, now, "its allowed window closed before it could leave");
        }
    }

    /// <summary>
    /// Gives a message that did not leave a new window: its contact attempt moves to the new slot (a
    /// message that never left is no contact), or, when the policy now refuses it for good, it is recorded
    /// as expired.
    /// </summary>
    private void Reslot(OutboxEntry entry, Instant now, string reason)
    {
        var attemptAt = entry.ContactAt ?? entry.CreatedAt;
        if (!entry.Transactional)
        {
            State.Contacts.RemoveAll(c => c.At == attemptAt && !c.Transactional);
        }

        var channel = Enum.Parse<Domain.Common.Channel>(entry.Channel, ignoreCase: true);
        var slot = services.Planner.Reslot(BorrowerFactsMapper.ToFacts(State, _tier), now, channel, entry.Transactional, entry.Urgent, out var refusal);
        if (slot is not { } next)
        {
            entry.HandedOver = true;
            entry.Status = DeliveryStatus.Undeliverable;
            Record("message.expired", "system", $"{reason}; no later window: {refusal}", entry.Channel, entry.Stage, ("messageKey", entry.Key));
            return;
        }

        entry.HandedOver = false;
        entry.Status = DeliveryStatus.Queued;
        entry.RetryAt = next.At.ToDateTimeOffset();
        entry.SendBy = next.SendBy.ToDateTimeOffset();
        if (!entry.Transactional)
        {
            entry.ContactAt = entry.RetryAt;
            State.Contacts.Add(new ContactAttempt { Channel = channel.ToString(), At = entry.RetryAt.Value });
        }

        Record("message.rescheduled", "system", reason, entry.Channel, entry.Stage, ("messageKey", entry.Key),
            ("at", entry.RetryAt.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private async Task DispatchPendingAsync()
    {
        var now = services.Clock.GetUtcNow();
        foreach (var entry in State.Outbox.Where(o => !o.HandedOver && (o.RetryAt is null || o.RetryAt <= now)).ToList())
        {
            entry.Attempts++;
            var result = await services.Dispatcher.DispatchAsync(ToOutbound(entry));
            _dirty = true;
            switch (result.Outcome)
            {
                case DispatchOutcome.Accepted:
                    entry.HandedOver = true;
                    entry.Status = DeliveryStatus.Sent;
                    State.Counts.Sent++;
                    Record("message.sent", "system", null, entry.Channel, entry.Stage, ("messageKey", entry.Key),
                        ("attempt", entry.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case DispatchOutcome.Deferred:
                    entry.RetryAt = result.RetryAt ?? now.AddMinutes(1);
                    Record("message.deferred", "system", result.Reason, entry.Channel, entry.Stage, ("messageKey", entry.Key));
                    break;
                default:
                    entry.HandedOver = true;
                    entry.Status = DeliveryStatus.Failed;
                    State.Counts.Failed++;
                    State.Contacts.RemoveAll(c => c.At == (entry.ContactAt ?? entry.CreatedAt) && !entry.Transactional);
                    Record("message.failed", "system", result.Reason, entry.Channel, entry.Stage, ("messageKey", entry.Key));
                    break;
            }
        }

        PruneFinished(now);
    }

    /// <summary>
    /// Finished messages stay while receipts may still arrive for them (7 days, at most
    /// <see cref="BorrowerState.FinishedOutboxWindow"/>); contact attempts only as far back as any cap or
    /// gap looks (<see cref="BorrowerState.ContactLookback"/>). State, and so every write, stays small.
    /// </summary>
    private void PruneFinished(DateTimeOffset now)
    {
        State.Outbox.RemoveAll(o => o.HandedOver && o.CreatedAt < now.AddDays(-7));
        var finished = State.Outbox.Count(o => o.HandedOver);
        if (finished > BorrowerState.FinishedOutboxWindow)
        {
            var drop = State.Outbox.Where(o => o.HandedOver).OrderBy(o => o.CreatedAt)
                .Take(finished - BorrowerState.FinishedOutboxWindow).ToHashSet();
            State.Outbox.RemoveAll(drop.Contains);
        }

        State.Contacts.RemoveAll(c => c.At < now - BorrowerState.ContactLookback);
    }

    private OutboundMessage ToOutbound(OutboxEntry entry) => new(
        entry.Key, Id, WireEnums.ChannelNamed(entry.Channel), entry.TemplateKey, _tier.ToWire(),
        State.Profile.Locale, entry.Transactional, entry.Urgent, entry.SendBy, entry.ToneVariant, State.Profile.PhoneE164, Values());

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

    /// <summary>
    /// One reminder per borrower, ticking daily from its first due time. A wake-up that falls on one of
    /// its future ticks needs no reminder write; any other moves it.
    /// </summary>
    private async Task ScheduleAsync(BorrowerPlan plan, Instant now)
    {
        var retry = State.Outbox.Where(o => !o.HandedOver && o.RetryAt is not null).Min(o => o.RetryAt);
        DateTimeOffset? wake = plan switch
        {
            PlanWait wait => wait.At.ToDateTimeOffset(),
            PlanSend => now.ToDateTimeOffset(),
            _ => null,
        };
        if (retry is not null && (wake is null || retry < wake))
        {
            wake = retry;
        }

        State.NextActionAt = wake;
        State.NextAction = plan switch
        {
            PlanWait wait => wait.Reason,
            PlanDone done => "done: " + done.Reason,
            PlanIdle idle => "idle: " + idle.Reason,
            _ => "send now",
        };

        if (wake is null)
        {
            await UnscheduleAsync();
            return;
        }

        if (Covered(wake.Value))
        {
            return;
        }

        var due = wake.Value - now.ToDateTimeOffset();
        await this.RegisterOrUpdateReminder(ReminderName, due < TimeSpan.Zero ? TimeSpan.Zero : due, ReminderPeriod);
        State.Reminder.FirstTick = wake;
        State.Reminder.Period = ReminderPeriod;
    }

    private bool Covered(DateTimeOffset wake)
    {
        if (State.Reminder.FirstTick is not { } first || State.Reminder.Period <= TimeSpan.Zero || wake < first)
        {
            return false;
        }

        var offset = (wake - first).Ticks % State.Reminder.Period.Ticks;
        return offset < TimeSpan.TicksPerSecond;
    }

    private async Task UnscheduleAsync()
    {
        if (State.Reminder.FirstTick is null)
        {
            return;
        }

        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        State.Reminder.FirstTick = null;
    }

    /// <summary>
    /// Writes state. When the write fails, this activation's memory holds an effect that is not stored (a
    /// payment applied, an id remembered, events recorded): it is discarded, never written or flushed later,
    /// and the activation deactivates, so the next call reloads what storage holds and a retry is applied
    /// once. The caller gets the storage error (503 at the API), never a success.
    /// </summary>
    private async Task WriteAsync()
    {
        if (_discarded)
        {
            throw new Orleans.Storage.InconsistentStateException($"Borrower {Id}: this activation's state was discarded after a failed write; retry the call.");
        }

        try
        {
            await store.WriteStateAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _discarded = true;
            _dirty = false;
            LogWriteFailed(services.Logger, ex, Id);
            this.DeactivateOnIdle();
            throw;
        }

        _dirty = false;
    }

    /// <summary>Appends the unflushed events; false when the store failed (state keeps them for a retry).</summary>
    private async Task<bool> FlushEventsAsync()
    {
        if (State.Unflushed.Count == 0 || _discarded)
        {
            // A discarded activation's events belong to effects that were never stored: they are not history.
            return true;
        }

        var batch = State.Unflushed.ToList();
        try
        {
            await services.Events.AppendAsync(batch);
            State.Unflushed.RemoveRange(0, batch.Count);
            _dirty = true;
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // State keeps the events; the next run, the retry timer or the next activation writes them.
            LogFlushFailed(services.Logger, ex, Id, batch.Count);
            return false;
        }
    }

    private void Record(string kind, string actor, string? reason = null, string? channel = null, string? stage = null,
        params (string Key, string Value)[] data)
    {
        var now = services.Clock.GetUtcNow();
        var micros = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
        // Message events get an id derived from the message key, so a redispatch after a crash records the
        // same event again (and the table ignores it); every other event is new by nature.
        // The seed holds every data value, so a message's later attempt or new window is a new event.
        var eventId = data.Any(d => d.Key == "messageKey")
            ? DeterministicId($"{Id}|{kind}|{string.Join("|", data.Select(d => d.Key + "=" + d.Value))}")
            : Guid.NewGuid();
        var e = new ContactEvent(eventId, Id, micros, kind, actor, channel, stage, reason,
            data.Length == 0 ? null : data.ToImmutableDictionary(d => d.Key, d => d.Value));
        State.Recent.Add(services.RecentCodec.Encode(e));
        Trim(State.Recent, BorrowerState.RecentWindow);
        _recent = null;
        State.Unflushed.Add(e);
    }

    /// <summary>The recent window decoded, oldest first (kept until the next event is recorded).</summary>
    private ImmutableArray<ContactEvent> RecentEvents() =>
        _recent ??= [.. State.Recent.Select(bytes => services.RecentCodec.Decode(bytes, Id))];

    private bool Remember(string id)
    {
        if (State.ProcessedIds.Contains(id))
        {
            return false;
        }

        State.ProcessedIds.Add(id);
        Trim(State.ProcessedIds, BorrowerState.ProcessedIdWindow);
        return true;
    }

    private void ApplyPayment(decimal amount)
    {
        var applied = DebtRules.Allocate(amount, [.. State.Debts.Select(d => (LocalDate.FromDateOnly(d.DueDate), d.Outstanding))]);
        for (var i = 0; i < applied.Length; i++)
        {
            State.Debts[i].Paid += applied[i];
        }
    }

    /// <summary>
    /// Replaces the debts, keeping what was paid on each. Only a different oldest open due date starts a new
    /// ladder cycle (new message keys, ladder from the start); a changed amount keeps the ladder where it is,
    /// so no step is sent twice. Returns whether a new cycle started.
    /// </summary>
    private bool MergeDebts(List<DebtState> debts)
    {
        var oldDue = BorrowerFactsMapper.OldestOpenDebt(State)?.DueDate;
        foreach (var debt in debts)
        {
            debt.Paid = State.Debts.Find(d => d.DebtId == debt.DebtId && d.DueDate == debt.DueDate)?.Paid ?? 0;
        }

        State.Debts = debts;
        State.Resolved = debts.All(d => d.Outstanding == 0);
        var newCycle = BorrowerFactsMapper.OldestOpenDebt(State)?.DueDate != oldDue;
        if (newCycle)
        {
            State.Cycle++;
            State.Ladder = new LadderPosition();
        }

        return newCycle;
    }

    private static bool SameDebts(List<DebtState> current, List<DebtState> incoming) =>
        current.Count == incoming.Count && current.Zip(incoming).All(p =>
            p.First.DebtId == p.Second.DebtId && p.First.AmountDue == p.Second.AmountDue
            && p.First.Currency == p.Second.Currency && p.First.DueDate == p.Second.DueDate);

    private static Guid DeterministicId(string seed) => new(MD5.HashData(Encoding.UTF8.GetBytes(seed)));

    private static void Trim<T>(List<T> list, int max)
    {
        if (list.Count > max)
        {
            list.RemoveRange(0, list.Count - max);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Borrower {BorrowerId}: state write failed; the call's effect is discarded and the borrower reloads on its next call")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string borrowerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Borrower {BorrowerId}: {Count} history events not yet written; kept for retry")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string borrowerId, int count);
}
