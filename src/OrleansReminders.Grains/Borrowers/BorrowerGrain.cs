using Microsoft.Extensions.Logging;
using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Contracts.History;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Grains.Time;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// One borrower, as a thin layer over the domain's <see cref="BorrowerCase"/>: each call opens a case on the
/// current <see cref="BorrowerFile"/>, lets it decide, and only after the state write succeeds takes the case's
/// file as the current one — a failed write (or a refused reminder) leaves memory as it was. Then it hands the
/// offered messages to the dispatcher pool and appends the history.
/// </summary>
public sealed partial class BorrowerGrain(
    [PersistentState("borrower", StorageNames.Borrowers)] IPersistentState<BorrowerState> store,
    BorrowerGrainServices services) : Grain, IBorrowerGrain, IRemindable
{
    public const string ReminderName = "next-action";
    private static readonly TimeSpan FlushRetry = TimeSpan.FromSeconds(30);
    private BorrowerFile _file = BorrowerFile.Empty;
    private BorrowerStore _store = null!;
    private Func<int, string, string> _keyFor = null!;
    private IGrainTimer? _flushRetry;
    private IGrainTimer? _leaseTimer;

    private string Id => this.GetPrimaryKeyString();

    private Instant Now => Instant.FromDateTimeOffset(services.Clock.GetUtcNow());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _store = new BorrowerStore(Id, store, services.RecentCodec, services.Events, services.Logger);
        _file = _store.Load();
        _keyFor = (cycle, step) => new MessageKey(Id, cycle, step).ToString();
        // Resume what a crash or deactivation left: messages not yet sent, events not flushed.
        await (_file.Exists && _file.Outbox.Any(m => m.Unsent) ? StepAsync(Open()) : FlushAsync());
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        services.StatusCache.Remove(Id);
        await _store.FlushAsync();
        // In-memory storage dies with the silo: writing to it while the silo shuts down only races its storage
        // grains going away. Durable storage gets the last write (what was kept without one).
        if (_file.Exists && services.Storage.Outlives(reason))
        {
            await _store.WriteKeptAsync();
        }
    }

    public async Task<CommandResult> UpsertAsync(BorrowerUpsert upsert)
    {
        var (profile, debts, errors) = BorrowerUpsertValidator.Validate(Id, upsert, Now.InZone(_file.Profile.Zone).Date, services.Rules.Limits);
        if (errors.Count > 0)
        {
            return CommandResult.Rejected(FieldProblems.From(errors));
        }

        var next = Open();
        var verdict = next.Upsert(profile!, debts, upsert.Risk is { } r ? new RiskFacts(r.LateShareLast12Months, r.PriorDelinquencies, r.CreditScore) : null, Now);
        await services.Phones.MoveAsync(GrainFactory, Id, _file.Exists ? _file.Profile.PhoneE164 : null, profile!.PhoneE164);
        return await ConcludeAsync(next, verdict);
    }

    public Task<CommandResult> RecordPaymentAsync(PaymentRecord p) =>
        DecideAsync(c => c.Pay(p.PaymentId, p.Amount, p.Currency, Instant.FromDateTimeOffset(p.ReceivedAt), Now));

    public Task<CommandResult> RecordPromiseAsync(PromiseRecord p) =>
        DecideAsync(c => c.Promise(LocalDate.FromDateOnly(p.Until), p.Kind, p.Actor, p.Reason, Now));

    public Task<CommandResult> PauseAsync(OpsAction action) => DecideAsync(c => c.SetPaused(true, action.Operator, action.Reason, Now));

    public Task<CommandResult> ResumeAsync(OpsAction action) => DecideAsync(c => c.SetPaused(false, action.Operator, action.Reason, Now));

    public Task<CommandResult> ReassignEscalationAsync(EscalationReassignment r) => DecideAsync(c => c.Reassign(r.Level, r.Operator, r.Reason, Now));

    public Task<CommandResult> HandleReplyAsync(InboundReply reply) => DecideAsync(c => c.Reply(reply.ReplyId, reply.Text, Now));

    public Task<CommandResult> HandleDeliveryReceiptAsync(DeliveryReceipt receipt) =>
        DecideAsync(c => c.Receipt(receipt.MessageKey, BorrowerWire.OutcomeOf(receipt.Status), receipt.ProviderCode, Now));

    public Task<CommandResult> ReportSendAsync(SendReport report) => DecideAsync(c => BorrowerWire.Report(c, report, Now));

    public Task<BorrowerStatus?> GetStatusAsync()
    {
        var (now, borrower) = (Now, Open());
        var status = _file.Exists ? BorrowerWire.ToStatus(Id, _file, borrower.Assess(now), _store.Recent()) : null;
        if (status is not null)
        {
            services.StatusCache.Put(Id, status, borrower.NextLocalMidnight(now).ToDateTimeOffset());
        }

        return Task.FromResult(status);
    }

    public Task<ContactEventPage> GetRecentHistoryAsync() => Task.FromResult(new ContactEventPage(_store.Recent(), null));

    public async Task<DateTimeOffset?> WakeAsync()
    {
        await StepIfKnownAsync();
        return _file.NextActionAt?.ToDateTimeOffset();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_file.Exists)
        {
            await StepAsync(BorrowerWire.Ticked(Open(), status));
        }
        else if (await this.GetReminder(reminderName) is { } stale)
        {
            await this.UnregisterReminder(stale);
        }
    }

    private BorrowerCase Open() => new(Id, _file, services.Rules, _keyFor);

    private Task StepIfKnownAsync() => _file.Exists ? StepAsync(Open()) : Task.CompletedTask;

    private Task<CommandResult> DecideAsync(Func<BorrowerCase, Verdict> decide)
    {
        var next = Open();
        return ConcludeAsync(next, decide(next));
    }

    private async Task<CommandResult> ConcludeAsync(BorrowerCase next, Verdict verdict)
    {
        switch (verdict.Kind)
        {
            case VerdictKind.Rejected:
                return CommandResult.Rejected(FieldProblems.From(verdict.Problems));
            case VerdictKind.Unknown:
                return CommandResult.Unknown(verdict.Note ?? "not known");
            case VerdictKind.Kept:
                _file = _store.Keep(next, Now); // stored with the next write (see BorrowerCase.Accepted)
                ArmLeaseTimer();
                await FlushAsync();
                break;
            case VerdictKind.Stored:
                _file = await SaveAsync(next);
                await FlushAsync();
                break;
            case VerdictKind.Changed:
                await StepAsync(next); // flushes
                break;
        }

        return CommandResult.Accepted(next.Note(verdict));
    }

    /// <summary>
    /// Steps the case, sets the reminder, writes, and only then hands the offered messages over (an offer a
    /// dispatcher sees is always stored). The dispatcher's answers are applied like any other decision.
    /// </summary>
    private async Task StepAsync(BorrowerCase next)
    {
        var step = next.Step(Now, Duration.FromTimeSpan(BusinessClock.FromReal(services.Clock, services.HandOverLease)));
        if (step.Plan is PlanWait { DeferredBy: { } rule })
        {
            Diagnostics.ServiceMetrics.Deferral(Domain.Policy.PolicyReasonCodes.Code(rule));
        }

        await ApplyAsync(step.Reminder);
        _file = await SaveAsync(next);
        if (step.Offered.Length > 0)
        {
            await HandOverAsync(next, step.Offered, step.Tier);
        }

        ArmLeaseTimer();
        await FlushAsync();
    }

    /// <summary>
    /// Hands the offered messages over (<see cref="BorrowerWire.HandOverAsync"/>), then keeps or stores what the
    /// answers changed. The call's effect is already stored, so this follow-up is best effort: whatever it
    /// misses, the lease brings back.
    /// </summary>
    private async Task HandOverAsync(BorrowerCase next, IReadOnlyList<OutboxMessage> offered, Domain.Common.RiskTier tier)
    {
        await BorrowerWire.HandOverAsync(services.Dispatcher, services.Logger, Id, next, offered, tier, Now);
        try
        {
            var follow = next.AfterHandOver(Now);
            await ApplyAsync(follow.Reminder);
            _file = follow.Write ? await SaveAsync(next) : follow.Changed ? _store.Keep(next, Now) : _file;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFollowUpFailed(services.Logger, ex, Id);
        }
    }

    private Task<BorrowerFile> SaveAsync(BorrowerCase next) => _store.SaveAsync(next, Now, this.DeactivateOnIdle);

    private async Task ApplyAsync(ReminderChange change)
    {
        if (change.Op == ReminderOp.Register)
        {
            await this.RegisterOrUpdateReminder(ReminderName, change.Due.ToTimeSpan(), BorrowerCase.ReminderPeriod.ToTimeSpan());
        }
        else if (change.Op == ReminderOp.Unregister && await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// While a message is offered the activation stays and wakes when its lease runs out, so a lost dispatcher
    /// costs one lease, not a reminder period. If this silo dies too, the borrower's next reminder tick offers it.
    /// </summary>
    private void ArmLeaseTimer()
    {
        _leaseTimer?.Dispose();
        _leaseTimer = null;
        if (_file.NextLeaseEnd is not { } end)
        {
            return;
        }

        var due = BusinessClock.ToReal(services.Clock, (end - Now).ToTimeSpan());
        _leaseTimer = this.RegisterGrainTimer(StepIfKnownAsync, new GrainTimerCreationOptions
        {
            DueTime = due > TimeSpan.Zero ? due + TimeSpan.FromMilliseconds(10) : TimeSpan.Zero,
            Period = Timeout.InfiniteTimeSpan,
            KeepAlive = true,
        });
    }

    /// <summary>History goes out after every call; a failed append stays in state and a timer retries it.</summary>
    private async Task FlushAsync()
    {
        if (await _store.FlushAsync())
        {
            _flushRetry?.Dispose();
            _flushRetry = null;
        }
        else
        {
            _flushRetry ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions { DueTime = FlushRetry, Period = FlushRetry, KeepAlive = true });
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Borrower {BorrowerId}: storing the dispatcher's answers failed; the lease brings the messages back")]
    private static partial void LogFollowUpFailed(ILogger logger, Exception exception, string borrowerId);
}
