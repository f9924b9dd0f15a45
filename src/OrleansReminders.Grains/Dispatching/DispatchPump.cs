using Microsoft.Extensions.Logging;
using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Domain.Dispatching;
using OrleansReminders.Grains.Diagnostics;
using OrleansReminders.Grains.Messaging;
using OrleansReminders.Grains.Time;

namespace OrleansReminders.Grains.Dispatching;

/// <summary>
/// A dispatcher's send loop, run on its grain's scheduler: it leases send slots from the account's
/// <see cref="IRateCoordinatorGrain"/>, lets the <see cref="DispatchQueue{T}"/> decide at each slot (send, ask
/// the provider first, return, give up), sends through <see cref="AccountSenders"/> and reports every outcome
/// to the borrower. The queue learns each answer before anything else can fail, so nothing vanishes between a
/// send and its retry.
/// </summary>
/// <param name="name">The dispatcher's name (its grain key).</param>
/// <param name="services">Options, clock, senders, composer, logger, fault hook.</param>
/// <param name="grains">For the rate coordinator and the borrowers.</param>
/// <param name="restartLater">Starts the loop again shortly (a grain timer) after it failed with messages held.</param>
internal sealed partial class DispatchPump(string name, DispatcherServices services, IGrainFactory grains, Action restartLater)
{
    /// <summary>
    /// How late a slot may still be used. Every send then happens in [slot, slot + tolerance], so any one
    /// second holds at most R × (1 + tolerance) + 1 sends: 10 ms keeps that within 1% of R.
    /// </summary>
    private static readonly TimeSpan SlotTolerance = TimeSpan.FromMilliseconds(10);

    /// <summary>A provider that could not say whether it has a message is asked again after this.</summary>
    private static readonly Duration AskAgainAfter = Duration.FromSeconds(2);

    private readonly DispatchOptions _settings = services.Options.Value;
    private readonly AccountSenders _accounts = new(services.Options.Value, services.Senders, services.Time, services.Logger, name);
    private readonly DispatchQueue<OutboundMessage> _queue = new(services.Options.Value.QueueCapacity, services.Options.Value.MaxAttempts,
        Duration.FromTimeSpan(services.Options.Value.AcceptedKeysKept));

    private bool _pumping;

    public SendOutcomes Outcomes { get; } = new(services.Options.Value);

    public DispatchQueue<OutboundMessage> Queue => _queue;

    public string ActiveAccount => _accounts.Active;

    /// <summary>Ask the provider where it can be asked; otherwise the account's <c>Dispatch:OnDoubt</c>.</summary>
    private DoubtPolicy Policy => _accounts.CanAsk ? DoubtPolicy.AskProvider : _settings.OnDoubt;

    private Instant Now => Instant.FromDateTimeOffset(services.Time.GetUtcNow());

    /// <summary>
    /// Takes a borrower's offer: queued, already sent, or deferred while the queue is full. The queue runs on
    /// real time; the send-by, a business instant, is carried over to it from the business clock.
    /// </summary>
    public DispatchResult Offer(OutboundMessage message)
    {
        var sendBy = services.Time.GetUtcNow() + BusinessClock.ToReal(services.Business, message.SendBy - services.Business.GetUtcNow());
        var item = new DispatchItem<OutboundMessage>(message.MessageKey, message.Offer, message.Transactional,
            Instant.FromDateTimeOffset(sendBy), message.MaybeSent, message);
        var result = _queue.Offer(item) switch
        {
            OfferResult.AlreadyAccepted => new DispatchResult(DispatchOutcome.AlreadySent),
            OfferResult.Full => new DispatchResult(DispatchOutcome.Deferred, services.Time.GetUtcNow() + _settings.QueueFullRetry, "dispatcher queue full"),
            _ => DispatchResult.Accepted,
        };
        ServiceMetrics.QueueDepth(name, _queue.Held);
        if (result.Outcome == DispatchOutcome.Deferred)
        {
            ServiceMetrics.Message("deferred", _settings.Account);
        }

        Start();
        return result;
    }

    /// <summary>
    /// The host stops and its borrowers' state dies with it (the embedded default): sends still in flight report
    /// nothing any more, as there is no borrower left to tell (a report would only fail to find one).
    /// </summary>
    private bool ReportsEnded => services.Stopping.IsCancellationRequested && !services.Durability.SurvivesRestart;

    public void Start()
    {
        if (!_pumping && _queue.Held > _queue.InFlight && !services.Stopping.IsCancellationRequested)
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
            // Nothing new starts once the host is stopping: the dispatcher's deactivation hands back what it holds.
            while (!services.Stopping.IsCancellationRequested)
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
                var grant = await grains.GetGrain<IRateCoordinatorGrain>(account)
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

                    if (services.Stopping.IsCancellationRequested || NextToSend(account) is not { } step)
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
            LogPumpFailed(services.Logger, ex, name);
        }
        finally
        {
            _pumping = false;
            if (_queue.Held > _queue.InFlight)
            {
                restartLater(); // the loop failed with messages held: it starts again shortly
            }
        }
    }

    /// <summary>Carries out the queue's decisions until one needs the slot: returns, give-ups and questions do not.</summary>
    private DispatchStep<OutboundMessage>? NextToSend(string account)
    {
        while (_queue.Next(Now, Policy) is { } step)
        {
            switch (step.Kind)
            {
                case StepKind.Return:
                    Outcomes.ReturnedOne(account);
                    _ = Report(step.Item, SendReportKind.Returned, step.Reason);
                    break;
                case StepKind.GiveUp:
                    Outcomes.GaveUp(account);
                    _ = Report(step.Item, SendReportKind.Failed, step.Reason);
                    break;
                case StepKind.Ask:
                    _ = AskAsync(step.Item);
                    break;
                default:
                    if (step.Kind == StepKind.SendAgain)
                    {
                        Outcomes.Doubt(account, "resent");
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
        Outcomes.Doubt(_settings.Account, found switch { true => "found", false => "not-found", _ => "unanswered" });
        if (_queue.Looked(item.Key, found, Now, AskAgainAfter) is not null)
        {
            Outcomes.FoundAtProvider();
            _ = Report(item, SendReportKind.Accepted, "the provider already had it");
        }

        Start();
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
        var notice = _queue.Sent(item.Key, SendOutcomes.Attempt(result), now, Outcomes.RetryAt(result, _queue.AttemptsOf(item.Key), now), result.Code);
        ServiceMetrics.Message(result.Status.ToString().ToLowerInvariant(), account);
        ServiceMetrics.QueueDepth(name, _queue.Held);
        _queue.ForgetAccepted(now);
        try
        {
            if (result.Status == SmsSendStatus.Accepted)
            {
                await services.Faults.AtAsync(FaultPoint.BeforeAcceptanceRecorded, item.Key);
            }

            if (Outcomes.Counted(result, notice))
            {
                await grains.GetGrain<IRateCoordinatorGrain>(account).ReportThrottledAsync();
            }

            if (notice is not null)
            {
                await Report(item, SendOutcomes.ReportOf(notice), notice.Reason);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogAfterSendFailed(services.Logger, ex, name, item.Key);
        }

        Start();
    }

    /// <summary>Tells the borrower; a report that fails is logged: the borrower's lease brings the message back.</summary>
    public async Task Report(DispatchItem<OutboundMessage> item, SendReportKind kind, string? reason)
    {
        if (ReportsEnded)
        {
            return;
        }

        try
        {
            await grains.GetGrain<IBorrowerGrain>(item.Payload.BorrowerId)
                .ReportSendAsync(new SendReport(item.Key, item.Offer, kind, reason, item.MaybeSent));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotifyFailed(services.Logger, ex, item.Payload.BorrowerId);
        }
    }

    private TimeSpan Until(DateTimeOffset at) => at > services.Time.GetUtcNow() ? at - services.Time.GetUtcNow() : TimeSpan.Zero;

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatcher {Dispatcher}: the send loop failed")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception, string dispatcher);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatcher {Dispatcher}: after sending {MessageKey}")]
    private static partial void LogAfterSendFailed(ILogger logger, Exception exception, string dispatcher, string messageKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell borrower {BorrowerId} about its message; its lease brings it back")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, string borrowerId);
}
