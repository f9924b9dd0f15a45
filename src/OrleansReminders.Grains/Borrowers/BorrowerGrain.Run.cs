using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using OrleansReminders.Contracts.History;
using OrleansReminders.Domain.Borrowers;

namespace OrleansReminders.Grains.Borrowers;

public sealed partial class BorrowerGrain
{
    private static readonly TimeSpan FlushRetry = TimeSpan.FromSeconds(30);
    private bool _dirty;
    private bool _discarded;
    private (BorrowerState State, bool Dirty)? _before;
    private IGrainTimer? _flushRetry;
    private Domain.Common.RiskTier _tier;
    private ImmutableArray<ContactEvent>? _recent;

    /// <summary>
    /// One step of the borrower: the outbox reviews leases and closed windows, the planner decides, a due
    /// action goes into the outbox, due messages are offered under a lease; then the one reminder is
    /// scheduled, state is written once, and only then are the offered messages handed over (an offer a
    /// dispatcher sees is always stored). Idempotent: a second run for the same step finds the ladder past it.
    /// </summary>
    private async Task RunAsync()
    {
        var now = Now();
        var tier = _tier = BorrowerFactsMapper.Assess(State, services.Tiering, Today()).EffectiveTier;
        TheOutbox.Review(now, NextWindow);
        ApplyOutboxEvents();
        var plan = services.Planner.Plan(BorrowerFactsMapper.ToFacts(State, tier), now);
        if (plan is PlanSend send)
        {
            QueueStep(send, tier, now);
            var after = services.Planner.Plan(BorrowerFactsMapper.ToFacts(State, tier), now);
            plan = after is PlanSend ? new PlanWait(now + Duration.FromMinutes(1), "another step is due") : after;
        }

        if (plan is PlanWait { DeferredBy: { } rule })
        {
            Diagnostics.ServiceMetrics.Deferral(Domain.Policy.PolicyReasonCodes.Code(rule));
        }

        var offered = TheOutbox.Offer(now, Duration.FromTimeSpan(Time.BusinessClock.FromReal(services.Clock, services.HandOverLease)));
        ApplyOutboxEvents();
        try
        {
            await ScheduleAsync(plan, now);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Undo(ex); // the reminder service refused: nothing of this call may stay in memory either
            throw;
        }

        await WriteAsync();
        await HandOverAsync(offered);
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

    /// <summary>
    /// One reminder per borrower, ticking daily from its first due time. A wake-up that falls on one of
    /// its future ticks needs no reminder write; any other moves it.
    /// </summary>
    private async Task ScheduleAsync(BorrowerPlan plan, Instant now)
    {
        // A pending message's window opening wakes the borrower. A lease needs no reminder of its own while
        // one ticks (the lease timer covers it while this activation lives, the daily tick if this silo dies);
        // with none, a message still offered keeps one registered so it is never forgotten.
        var pending = TheOutbox.NextPending(now)?.ToDateTimeOffset();
        DateTimeOffset? wake = plan switch
        {
            PlanWait wait => wait.At.ToDateTimeOffset(),
            PlanSend => now.ToDateTimeOffset(),
            _ => null,
        };
        if (pending is not null && (wake is null || pending < wake))
        {
            wake = pending;
        }

        State.NextActionAt = wake;
        State.NextAction = plan switch
        {
            PlanWait wait => wait.Reason,
            PlanDone done => "done: " + done.Reason,
            PlanIdle idle => "idle: " + idle.Reason,
            _ => "send now",
        };

        if (wake is null && TheOutbox.NextLeaseEnd() is { } leaseEnd)
        {
            if (State.Reminder.FirstTick is null)
            {
                await RegisterAsync(leaseEnd.ToDateTimeOffset(), now);
            }

            return;
        }

        if (wake is null)
        {
            await UnscheduleAsync();
            return;
        }

        if (Covered(wake.Value))
        {
            return;
        }

        await RegisterAsync(wake.Value, now);
    }

    private async Task RegisterAsync(DateTimeOffset wake, Instant now)
    {
        var due = wake - now.ToDateTimeOffset();
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
            SyncOutbox();
            await store.WriteStateAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Undo(ex);
            throw;
        }

        _dirty = false;
        _before = null; // memory and storage agree: nothing of this call is left to undo
    }

    /// <summary>
    /// Keeps a copy of the state before a call changes anything (the incoming call filter, the lease timer
    /// and activation call this). A failed write puts it back: the call leaves no trace, and what an earlier
    /// call kept in memory without a write of its own (a dispatcher's acceptance) stays.
    /// </summary>
    internal void BeginChange()
    {
        SyncOutbox(); // the copy must hold what this activation kept without a write (an acceptance)
        _before = (State.Exists ? Copier.Copy(State) : new BorrowerState(), _dirty);
    }

    private Orleans.Serialization.DeepCopier<BorrowerState> Copier =>
        _copier ??= ServiceProvider.GetRequiredService<Orleans.Serialization.DeepCopier<BorrowerState>>();

    private Orleans.Serialization.DeepCopier<BorrowerState>? _copier;

    /// <summary>
    /// Undoes this call after a failed write: back to the copy from before it. Without one (a second write in
    /// the same call failed, or storage says its version moved on) the activation is discarded instead.
    /// </summary>
    private void Undo(Exception ex)
    {
        if (_before is not { } before || ex is Orleans.Storage.InconsistentStateException)
        {
            Discard(ex);
            return;
        }

        store.State = before.State;
        _dirty = before.Dirty;
        _before = null;
        _outbox = null;
        _recent = null;
        LogWriteUndone(services.Logger, ex, Id);
    }

    private void Discard(Exception ex)
    {
        _discarded = true;
        _dirty = false;
        LogWriteFailed(services.Logger, ex, Id);
        this.DeactivateOnIdle();
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

    private Instant Now() => Instant.FromDateTimeOffset(services.Clock.GetUtcNow());

    private static Guid DeterministicId(string seed) => new(MD5.HashData(Encoding.UTF8.GetBytes(seed)));

    private static void Trim<T>(List<T> list, int max)
    {
        if (list.Count > max)
        {
            list.RemoveRange(0, list.Count - max);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Borrower {BorrowerId}: state write or reminder registration failed; the call is undone")]
    private static partial void LogWriteUndone(ILogger logger, Exception exception, string borrowerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Borrower {BorrowerId}: state write or reminder registration failed; the call's effect is discarded and the borrower reloads on its next call")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string borrowerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Borrower {BorrowerId}: {Count} history events not yet written; kept for retry")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string borrowerId, int count);
}
