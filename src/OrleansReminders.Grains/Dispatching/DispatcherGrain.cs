using Microsoft.Extensions.Logging;
using NodaTime;
using Orleans.Concurrency;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Domain.Dispatching;
using OrleansReminders.Grains.Diagnostics;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Dispatching;

/// <summary>
/// One dispatcher of the pool: load → decide (the domain's <see cref="DispatchQueue{T}"/>) → send → report.
/// Messages leave only in send slots leased from the account's <see cref="IRateCoordinatorGrain"/>, so all
/// dispatchers together never exceed the account's rate. The queue decides at each slot: send, ask the
/// provider first (a message that may already have been sent), return it (send-by passed) or give it up
/// (at most once). Every outcome goes back to the borrower as a <see cref="SendReport"/>; the borrower's
/// lease covers a report that never arrives (this silo died), so the queue needs no storage. Throttling
/// and runs of failures slow the account down (AIMD at the coordinator); transient failures retry with
/// jittered backoff; <see cref="AccountSenders"/> fails over to the secondary account. Reentrant so
/// offers are taken while the pump waits.
/// </summary>
[Reentrant]
public sealed partial class DispatcherGrain(DispatcherServices services) : Grain, IDispatcherGrain
{
    /// <summary>Transient failures in a row after which the account is slowed down.</summary>
    private const int TransientSlowDownAfter = 3;

    /// <summary>
    /// How late a slot may still be used. Every send then happens in [slot, slot + tolerance], so any one
    /// second holds at most R × (1 + tolerance) + 1 sends: 10 ms keeps that within 1% of R.
    /// </summary>
    private static readonly TimeSpan SlotTolerance = TimeSpan.FromMilliseconds(10);

    /// <summary>A provider that could not say whether it has a message is asked again after this.</summary>
    private static readonly Duration AskAgainAfter = Duration.FromSeconds(2);

    private static readonly TimeSpan HandBackWait = TimeSpan.FromSeconds(2);

    private readonly Random _jitter = new();
    private DispatchOptions _settings = null!;
    private AccountSenders _accounts = null!;
    private DispatchQueue<OutboundMessage> _queue = null!;
    private DoubtPolicy _policy;
    private bool _pumping;
    private int _transientInARow;
    private long _sent;
    private long _retried;
    private long _failed;
    private long _returned;
    private long _throttled;
    private long _doubts;

    private string Name => this.GetPrimaryKeyString();

    private Instant Now => Instant.FromDateTimeOffset(services.Time.GetUtcNow());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _settings = services.Options.Value;
        _accounts = new AccountSenders(_settings, services.Senders, services.Time, services.Logger, Name);
        _policy = _accounts.CanAsk ? DoubtPolicy.AskProvider : _settings.OnDoubt;
        _queue = new DispatchQueue<OutboundMessage>(_settings.QueueCapacity, _settings.MaxAttempts, Duration.FromTimeSpan(_settings.AcceptedKeysKept));
        return Task.CompletedTask;
    }

    /// <summary>
    /// A dispatcher going away in order gives what it has not sent back to the borrowers, one-way and
    /// bounded: whatever does not arrive comes back when the borrower's lease runs out.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var held = _queue.Drain();
        if (services.Durability.Outlives(reason) && held.Count > 0)
        {
            var reports = new List<Task>(held.Count);
            foreach (var item in held)
            {
                await services.Faults.AtAsync(FaultPoint.DuringHandBack, item.Key);
                reports.Add(Report(item, SendReportKind.Returned, "its dispatcher stopped: " + reason.Description));
            }

            await Task.WhenAny(Task.WhenAll(reports), Task.Delay(HandBackWait, services.Time));
        }

        ServiceMetrics.DispatcherGone(Name);
    }

    public Task<DispatchResult> EnqueueAsync(OutboundMessage message)
    {
        var item = new DispatchItem<OutboundMessage>(message.MessageKey, message.Offer, message.Transactional,
            Instant.FromDateTimeOffset(message.SendBy), message.MaybeSent, message);
        var result = _queue.Offer(item) switch
        {
            OfferResult.AlreadyAccepted => new DispatchResult(DispatchOutcome.AlreadySent),
            OfferResult.Full => new DispatchResult(DispatchOutcome.Deferred, services.Time.GetUtcNow() + _settings.QueueFullRetry, "dispatcher queue full"),
            _ => DispatchResult.Accepted,
        };
        ServiceMetrics.QueueDepth(Name, _queue.Held);
        if (result.Outcome == DispatchOutcome.Deferred)
        {
            ServiceMetrics.Message("deferred", _settings.Account);
        }

        StartPump();
        return Task.FromResult(result);
    }

    public Task<DispatcherStats> GetStatsAsync() => Task.FromResult(new DispatcherStats(
        _queue.Held - _queue.InFlight, _queue.InFlight, _sent, _retried, _failed, _returned, _throttled, _accounts.Active, _doubts, RuntimeIdentity));

    private void StartPump()
    {
        if (!_pumping && _queue.Held > _queue.InFlight)
        {
            _pumping = true;
            _ = PumpAsync();
        }
    }

    /// <summary>Leases slots while messages are ready and uses each for the next one the queue lets go.</summary>
    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                if (_queue.PeekNext(Now) is not { } next)
                {
                    if (_queue.NextRetryAt is not { } retryAt)
                    {
                        return;
                    }

                    await Task.Delay(Until(retryAt.ToDateTimeOffset()), services.Time);
                    continue;
                }

                if (_queue.InFlight >= _settings.MaxInFlight)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(5), services.Time);
                    continue;
                }

                await services.Faults.AtAsync(FaultPoint.BeforeLease, next);
                var account = _accounts.Active;
                var grant = await GrainFactory.GetGrain<IRateCoordinatorGrain>(account)
                    .LeaseAsync(Math.Min(_queue.Ready, _settings.MaxInFlight - _queue.InFlight));
                if (grant.Count == 0)
                {
                    await Task.Delay(Until(grant.RetryAt), services.Time);
                    continue;
                }

                for (var slot = 0; slot < grant.Count; slot++)
                {
                    var at = grant.SlotAt(slot);
                    if (Until(at) is { } wait && wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, services.Time);
                    }

                    if (services.Time.GetUtcNow() - at > SlotTolerance)
                    {
                        continue; // woke too late for this slot: using it would bunch sends above the rate
                    }

                    if (NextToSend(account) is not { } step)
                    {
                        break; // the rest of the lease goes unused: idle capacity, never a later burst
                    }

                    await services.Faults.AtAsync(FaultPoint.AfterLease, step.Item.Key);
                    _ = SendAsync(step, account);
                }
            }
        }
        catch (Exception ex)
        {
            LogPumpFailed(services.Logger, ex, Name);
        }
        finally
        {
            _pumping = false;
            if (_queue.Held > _queue.InFlight)
            {
                this.RegisterGrainTimer(() => { StartPump(); return Task.CompletedTask; },
                    new GrainTimerCreationOptions { DueTime = TimeSpan.FromSeconds(1), Period = Timeout.InfiniteTimeSpan, Interleave = true });
            }
        }
    }

    /// <summary>Carries out the queue's decisions until one needs the slot: returns, give-ups and questions do not.</summary>
    private DispatchStep<OutboundMessage>? NextToSend(string account)
    {
        while (_queue.Next(Now, _policy) is { } step)
        {
            switch (step.Kind)
            {
                case StepKind.Return:
                    _returned++;
                    ServiceMetrics.Message("returned", account);
                    _ = Report(step.Item, SendReportKind.Returned, step.Reason);
                    break;
                case StepKind.GiveUp:
                    _failed++;
                    Doubt(account, "given-up");
                    _ = Report(step.Item, SendReportKind.Failed, step.Reason);
                    break;
                case StepKind.Ask:
                    _ = AskAsync(step.Item);
                    break;
                default:
                    if (step.Kind == StepKind.SendAgain)
                    {
                        Doubt(account, "resent");
                    }

                    return step;
            }
        }

        return null;
    }

    /// <summary>Asks the provider whether it already has a message that may have been sent, then lets the queue decide.</summary>
    private async Task AskAsync(DispatchItem<OutboundMessage> item)
    {
        var found = await _accounts.WasAcceptedAsync(item.Key);
        Doubt(_settings.Account, found switch { true => "found", false => "not-found", _ => "unanswered" });
        if (_queue.Looked(item.Key, found, Now, AskAgainAfter) is not null)
        {
            _sent++;
            _ = Report(item, SendReportKind.Accepted, "the provider already had it");
        }

        StartPump();
    }

    private async Task SendAsync(DispatchStep<OutboundMessage> step, string account)
    {
        var item = step.Item;
        SmsSendResult result;
        try
        {
            result = await _accounts.SendAsync(account, await services.Composer.ComposeAsync(item.Payload));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            result = new SmsSendResult(SmsSendStatus.Transient, Code: "compose", Detail: ex.GetType().Name); // never reached the provider
        }

        if (result.Status == SmsSendStatus.Accepted)
        {
            await services.Faults.AtAsync(FaultPoint.AfterProviderAccepted, item.Key);
        }

        // The queue learns the outcome before anything else can fail: nothing vanishes between send and retry.
        var now = Now;
        var attempt = Attempt(result);
        var retryAt = attempt == SendAttempt.Throttled
            ? now + Duration.FromTimeSpan(result.RetryAfter ?? TimeSpan.FromSeconds(1))
            : now + Duration.FromTimeSpan(new RetryBackoff(_settings.RetryBase, _settings.RetryCap).Delay(_queue.AttemptsOf(item.Key) + 1, _jitter.NextDouble()));
        var notice = _queue.Sent(item.Key, attempt, now, retryAt, result.Code);
        ServiceMetrics.Message(result.Status.ToString().ToLowerInvariant(), account);
        ServiceMetrics.QueueDepth(Name, _queue.Held);
        _queue.ForgetAccepted(now);
        try
        {
            await AfterSendAsync(item, result, account, notice);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogAfterSendFailed(services.Logger, ex, Name, item.Key);
        }

        StartPump();
    }

    private async Task AfterSendAsync(DispatchItem<OutboundMessage> item, SmsSendResult result, string account, DispatchNotice? notice)
    {
        _retried += notice is null ? 1 : 0;
        switch (result.Status)
        {
            case SmsSendStatus.Accepted:
                _sent++;
                _transientInARow = 0;
                await services.Faults.AtAsync(FaultPoint.BeforeAcceptanceRecorded, item.Key);
                break;
            case SmsSendStatus.Throttled when result.Code == AccountSenders.CircuitOpen:
                break;
            case SmsSendStatus.Throttled:
                _throttled++;
                await GrainFactory.GetGrain<IRateCoordinatorGrain>(account).ReportThrottledAsync();
                break;
            case SmsSendStatus.Transient when ++_transientInARow >= TransientSlowDownAfter:
                // Failures in a row (5xx, timeouts: a provider in trouble, not one unlucky message) slow the
                // account down as throttling does.
                _transientInARow = 0;
                await GrainFactory.GetGrain<IRateCoordinatorGrain>(account).ReportThrottledAsync();
                break;
        }

        if (notice is not null)
        {
            _failed += notice.Kind == NoticeKind.Accepted ? 0 : 1;
            var kind = notice.Kind switch
            {
                NoticeKind.Accepted => SendReportKind.Accepted,
                NoticeKind.Undeliverable => SendReportKind.Undeliverable,
                _ => SendReportKind.Failed,
            };
            await Report(item, kind, notice.Reason);
        }
    }

    private static SendAttempt Attempt(SmsSendResult result) => result.Status switch
    {
        SmsSendStatus.Accepted => SendAttempt.Accepted,
        SmsSendStatus.Throttled => SendAttempt.Throttled,
        SmsSendStatus.Permanent => SendAttempt.Permanent,
        _ when result.Code == AccountSenders.NoAnswer => SendAttempt.NoAnswer,
        _ => SendAttempt.Transient,
    };

    /// <summary>Tells the borrower; a report that fails is logged: the borrower's lease brings the message back.</summary>
    private async Task Report(DispatchItem<OutboundMessage> item, SendReportKind kind, string? reason)
    {
        try
        {
            await GrainFactory.GetGrain<IBorrowerGrain>(item.Payload.BorrowerId)
                .ReportSendAsync(new SendReport(item.Key, item.Offer, kind, reason, item.MaybeSent));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotifyFailed(services.Logger, ex, item.Payload.BorrowerId);
        }
    }

    private void Doubt(string account, string resolution)
    {
        _doubts++;
        ServiceMetrics.Doubt(account, resolution);
    }

    private TimeSpan Until(DateTimeOffset at) => at > services.Time.GetUtcNow() ? at - services.Time.GetUtcNow() : TimeSpan.Zero;

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatcher {Dispatcher}: the send loop failed")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception, string dispatcher);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatcher {Dispatcher}: after sending {MessageKey}")]
    private static partial void LogAfterSendFailed(ILogger logger, Exception exception, string dispatcher, string messageKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell borrower {BorrowerId} about its message; its lease brings it back")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, string borrowerId);
}
