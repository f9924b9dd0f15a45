using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.History;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Replies;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Grains.Time;
using OrleansReminders.Grains.History;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// One borrower. Operations validate, change state, then <see cref="RunAsync"/> asks the domain planner
/// what to do next, records any message in the outbox, schedules the one reminder and writes state once.
/// </summary>
public sealed partial class BorrowerGrain(
    [PersistentState("borrower", StorageNames.Borrowers)] IPersistentState<BorrowerState> store,
    BorrowerGrainServices services) : Grain, IBorrowerGrain, IRemindable
{
    public const string ReminderName = "next-action";
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromDays(1);

    private BorrowerState State => store.State;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Resume what a crash or deactivation left: messages not yet sent (offered again once their lease is
        // over, or now when due), events not flushed.
        if (State.Exists && TheOutbox.UnsentCount > 0)
        {
            BeginChange();
            await RunAsync();
        }
        else if (State.Unflushed.Count > 0)
        {
            await FlushAfterRunAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        services.StatusCache.Remove(Id);
        await FlushEventsAsync();
        // In-memory storage dies with the silo: writing to it while the silo shuts down only races its
        // storage grains going away. Durable storage gets the last write.
        if (_dirty && State.Exists && services.Storage.Outlives(reason))
        {
            await WriteAsync();
        }
    }

    public async Task<CommandResult> UpsertAsync(BorrowerUpsert upsert)
    {
        var today = Today();
        var (profile, debts, errors) = BorrowerUpsertValidator.Validate(Id, upsert, today, ServiceProvider.GetService<InputLimits>());
        if (errors.Count > 0)
        {
            return CommandResult.Rejected(FieldProblems.From(errors));
        }

        var changed = !State.Exists || !SameDebts(State.Debts, debts!);
        var previousPhone = State.Exists ? State.Profile.PhoneE164 : null;
        State.Exists = true;
        State.Profile = profile!;
        if (previousPhone != profile!.PhoneE164)
        {
            // Inbound replies carry only the number: keep the directory pointing here.
            await GrainFactory.GetGrain<IPhoneDirectoryGrain>(services.Phones.KeyFor(profile.PhoneE164)).AssignAsync(Id);
            if (previousPhone is not null)
            {
                await GrainFactory.GetGrain<IPhoneDirectoryGrain>(services.Phones.KeyFor(previousPhone)).ReleaseAsync(Id);
            }
        }

        if (upsert.Risk is { } risk)
        {
            (State.Risk.LateShareLast12Months, State.Risk.PriorDelinquencies, State.Risk.CreditScore) =
                (risk.LateShareLast12Months, risk.PriorDelinquencies, risk.CreditScore);
        }

        var reason = "profile";
        if (changed)
        {
            reason = MergeDebts(debts!) ? "new debt cycle" : "debts changed";
        }

        Record("borrower.upserted", "api", reason: reason);
        await RunAsync();
        return CommandResult.Accepted();
    }

    public async Task<CommandResult> RecordPaymentAsync(PaymentRecord payment)
    {
        if (Unknown() is { } unknown)
        {
            return unknown;
        }

        var invalid = DebtRules.ValidatePayment(payment.PaymentId, payment.Amount, payment.Currency,
            Instant.FromDateTimeOffset(payment.ReceivedAt), Instant.FromDateTimeOffset(services.Clock.GetUtcNow()), ServiceProvider.GetService<InputLimits>()).ToList();
        if (invalid.Count > 0)
        {
            return CommandResult.Rejected(FieldProblems.From(invalid));
        }

        if (!Remember($"payment:{payment.PaymentId}"))
        {
            return CommandResult.Accepted("payment already recorded");
        }

        ApplyPayment(payment.Amount);
        var full = State.Debts.All(d => d.Outstanding == 0);
        Record(full ? "payment.full" : "payment.partial", "api", data: ("paymentId", payment.PaymentId));
        if (full)
        {
            State.Resolved = true;
            QueueTransactional("thanks.payment");
        }

        await RunAsync();
        return CommandResult.Accepted(full ? "resolved" : "partial payment");
    }

    public async Task<CommandResult> RecordPromiseAsync(PromiseRecord promise)
    {
        if (Unknown() is { } unknown)
        {
            return unknown;
        }

        var problems = PromiseRules.Validate(LocalDate.FromDateOnly(promise.Until), promise.Kind, Today()).ToList();
        if (problems.Count > 0)
        {
            return CommandResult.Rejected(FieldProblems.From(problems));
        }

        State.Ladder.SuspendedUntil = promise.Until;
        State.Ladder.SuspensionKind = promise.Kind;
        State.Consent.PlanOfferOpen = false;
        Record("plan.agreed", promise.Actor, promise.Reason, data: ("until", promise.Until.ToString("O")));
        await RunAsync();
        return CommandResult.Accepted();
    }

    public async Task<CommandResult> PauseAsync(OpsAction action) => await SetPausedAsync(action, paused: true);

    public async Task<CommandResult> ResumeAsync(OpsAction action) => await SetPausedAsync(action, paused: false);

    public async Task<CommandResult> ReassignEscalationAsync(EscalationReassignment reassignment)
    {
        if (Unknown() is { } unknown)
        {
            return unknown;
        }

        var levels = services.Planner.EscalationLevels(BorrowerFactsMapper.Assess(State, services.Tiering, Today()).EffectiveTier);
        if (reassignment.Level < 0 || reassignment.Level > levels)
        {
            return CommandResult.Rejected("level", $"must be between 0 (SMS ladder) and {levels}");
        }

        if (string.IsNullOrWhiteSpace(reassignment.Operator) || string.IsNullOrWhiteSpace(reassignment.Reason))
        {
            return CommandResult.Rejected([.. MissingOps(reassignment.Operator, reassignment.Reason)]);
        }

        var ladder = LadderProgress.Reassigned(BorrowerFactsMapper.ToLadderState(State), reassignment.Level, Today());
        BorrowerFactsMapper.Apply(State, ladder);
        Record("escalation.reassigned", reassignment.Operator, reassignment.Reason, data: ("level", reassignment.Level.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await RunAsync();
        return CommandResult.Accepted();
    }

    public Task<BorrowerStatus?> GetStatusAsync()
    {
        if (!State.Exists)
        {
            return Task.FromResult<BorrowerStatus?>(null);
        }

        var status = BorrowerFactsMapper.ToStatus(Id, State, BorrowerFactsMapper.Assess(State, services.Tiering, Today()), RecentEvents(), TheOutbox.UnsentCount);
        services.StatusCache.Put(Id, status, NextLocalMidnight());
        return Task.FromResult<BorrowerStatus?>(status);
    }

    public async Task<DateTimeOffset?> WakeAsync()
    {
        if (State.Exists)
        {
            await RunAsync();
        }

        return State.NextActionAt;
    }

    public Task<ContactEventPage> GetRecentHistoryAsync() => Task.FromResult(new ContactEventPage(RecentEvents(), null));

    public async Task<CommandResult> HandleDeliveryReceiptAsync(DeliveryReceipt receipt)
    {
        if (TheOutbox.Find(receipt.MessageKey) is null)
        {
            return CommandResult.Unknown($"no message {receipt.MessageKey} for this borrower");
        }

        var outcome = receipt.Status switch
        {
            DeliveryStatus.Delivered => SendOutcome.Delivered,
            DeliveryStatus.Failed => SendOutcome.Failed,
            DeliveryStatus.Undeliverable => SendOutcome.Undeliverable,
            _ => (SendOutcome?)null,
        };
        if (outcome is not { } settled || !TheOutbox.Receipt(receipt.MessageKey, settled, receipt.ProviderCode))
        {
            return CommandResult.Accepted("status unchanged (receipts only move forward)");
        }

        ApplyOutboxEvents();
        await WriteAsync();
        await FlushAfterRunAsync();
        return CommandResult.Accepted();
    }

    public async Task<CommandResult> ReportSendAsync(SendReport report)
    {
        if (TheOutbox.Find(report.MessageKey) is null)
        {
            return CommandResult.Unknown($"no message {report.MessageKey} for this borrower");
        }

        _tier = BorrowerFactsMapper.Assess(State, services.Tiering, Today()).EffectiveTier;
        if (report.Kind == SendReportKind.Accepted)
        {
            return await AcceptedAsync(report.MessageKey);
        }

        if (report.Kind == SendReportKind.Returned)
        {
            TheOutbox.Returned(report.MessageKey, report.Offer, report.MaybeSent, Now(), report.Reason ?? "returned by its dispatcher", NextWindow);
        }
        else
        {
            var outcome = report.Kind == SendReportKind.Undeliverable ? SendOutcome.Undeliverable : SendOutcome.Failed;
            TheOutbox.GaveUp(report.MessageKey, report.Offer, outcome, report.Reason);
        }

        if (TheOutbox.Events.Count == 0)
        {
            return CommandResult.Accepted("unchanged: a late report about an earlier offer");
        }

        await RunAsync();
        return CommandResult.Accepted(TheOutbox.Find(report.MessageKey)?.Status.ToString().ToLowerInvariant());
    }

    public async Task<CommandResult> HandleReplyAsync(InboundReply reply)
    {
        if (Unknown() is { } unknown)
        {
            return unknown;
        }

        if (!Remember($"reply:{reply.ReplyId}"))
        {
            return CommandResult.Accepted("reply already handled");
        }

        var classification = ReplyClassifier.Classify(reply.Text);
        State.Counts.Replies++;
        BorrowerFactsMapper.Apply(State, LadderProgress.AfterReply(BorrowerFactsMapper.ToLadderState(State)));
        ApplyIntent(classification.Intent);
        Record($"reply.{classification.Intent.ToString().ToLowerInvariant()}", "borrower", classification.Rule?.Id, "sms",
            data: ("rule", classification.Rule?.Id ?? "none"));
        await RunAsync();
        return CommandResult.Accepted(classification.Intent.ToString());
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!State.Exists)
        {
            if (await this.GetReminder(reminderName) is { } stale)
            {
                await this.UnregisterReminder(stale);
            }

            return;
        }

        await RunAsync();
    }

    private async Task<CommandResult> SetPausedAsync(OpsAction action, bool paused)
    {
        if (Unknown() is { } unknown)
        {
            return unknown;
        }

        if (string.IsNullOrWhiteSpace(action.Operator) || string.IsNullOrWhiteSpace(action.Reason))
        {
            return CommandResult.Rejected([.. MissingOps(action.Operator, action.Reason)]);
        }

        State.Consent.Paused = paused;
        State.Consent.PauseReason = paused ? action.Reason : null;
        Record(paused ? "borrower.paused" : "borrower.resumed", action.Operator, action.Reason);
        await RunAsync();
        return CommandResult.Accepted();
    }

    private void ApplyIntent(ReplyIntent intent)
    {
        var effects = ReplyEffects.For(intent);
        State.Consent.OptedOut = effects.OptedOut ?? State.Consent.OptedOut;
        State.Consent.PlanOfferOpen |= effects.OpenPlanOffer;
        State.Consent.Complaint |= effects.FlagComplaint;
        if (effects.PauseReason is { } pause)
        {
            State.Consent.Paused = true;
            State.Consent.PauseReason = pause;
        }

        if (effects.CancelQueuedReason is { } reason)
        {
            TheOutbox.CancelPending(reason);
        }
    }

    private CommandResult? Unknown() => State.Exists ? null : CommandResult.Unknown($"borrower {Id} is not known");

    private static IEnumerable<FieldProblem> MissingOps(string? @operator, string? reason)
    {
        if (string.IsNullOrWhiteSpace(@operator))
        {
            yield return new FieldProblem("operator", "is required (ops actions are audited)");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            yield return new FieldProblem("reason", "is required (ops actions are audited)");
        }
    }

    private LocalDate Today() => Instant.FromDateTimeOffset(services.Clock.GetUtcNow()).InZone(Zone()).Date;

    private DateTimeOffset NextLocalMidnight() => Zone().AtStartOfDay(Today().PlusDays(1)).ToDateTimeOffset();

    private DateTimeZone Zone() => DateTimeZoneProviders.Tzdb[State.Profile.TimeZones.FirstOrDefault() ?? "UTC"];
}
