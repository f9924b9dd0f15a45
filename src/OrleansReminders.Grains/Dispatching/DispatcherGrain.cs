using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Polly;
using Polly.CircuitBreaker;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Domain.Dispatching;
using OrleansReminders.Grains.Diagnostics;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Dispatching;

/// <summary>
/// One dispatcher of the pool. Messages wait in two queues (transactional before collection) and leave
/// only in send slots leased from the account's <see cref="IRateCoordinatorGrain"/>, so all dispatchers
/// together never exceed the account's rate. At its slot a message is checked against its send-by
/// deadline (too late → back to its borrower, who reschedules it), composed and sent. Throttling and
/// provider failures (429, 5xx) slow the account down (AIMD at the coordinator) and the message waits its turn again; transient failures
/// retry with jittered exponential backoff, and after <see cref="DispatchOptions.FailoverAfter"/> in a
/// row the secondary account takes over for <see cref="DispatchOptions.FailbackAfter"/>; permanent
/// failures are reported to the borrower as a failed receipt. Nothing is dropped silently: a message
/// leaves, is returned, or is reported failed. Reentrant so enqueues are taken while the pump waits.
/// Queues live in memory: a dispatcher lost with its silo loses what it held, and the borrowers' outboxes
/// still hold those messages (handed over, not delivered) — see the README on the limits of this.
/// </summary>
[Reentrant]
public sealed partial class DispatcherGrain(
    DispatcherServices services) : Grain, IDispatcherGrain
{
    private static readonly TimeSpan RecentKeysKept = TimeSpan.FromMinutes(10);

    /// <summary>Transient failures in a row after which the account is slowed down.</summary>
    private const int TransientSlowDownAfter = 3;

    /// <summary>
    /// How late a slot may still be used. Every send then happens in [slot, slot + tolerance], so any one
    /// second holds at most R × (1 + tolerance) + 1 sends: 10 ms keeps that within 1% of R.
    /// </summary>
    private static readonly TimeSpan SlotTolerance = TimeSpan.FromMilliseconds(10);

    private readonly LinkedList<Pending> _transactional = new();
    private readonly LinkedList<Pending> _collection = new();
    private readonly List<Pending> _waiting = [];
    private readonly Dictionary<string, DateTimeOffset> _keys = new(StringComparer.Ordinal);
    private readonly Random _jitter = new();
    private DispatchOptions _settings = null!;
    private Dictionary<string, ISmsSender> _senders = null!;
    private bool _pumping;
    private int _inFlight;
    private readonly CircuitBreakerStateProvider _primaryState = new();
    private ResiliencePipeline<SmsSendResult>? _primaryBreaker;
    private long _primaryOpenUntilTicks; // written from Polly's callback, which may run off the grain's scheduler
    private int _transientInARow;
    private long _sent;
    private long _retried;
    private long _failed;
    private long _returned;
    private long _throttled;

    /// <summary>
    /// The secondary while the primary's circuit is open; once its break is over the primary again (Polly
    /// moves the circuit to half-open on that next call: a success closes it, a failure opens it again).
    /// </summary>
    private string ActiveAccount => _primaryBreaker is not null && _settings.SecondaryAccount is { } secondary
        && (_primaryState.CircuitState == CircuitState.Isolated
            || (_primaryState.CircuitState == CircuitState.Open && services.Time.GetUtcNow().UtcTicks < Interlocked.Read(ref _primaryOpenUntilTicks)))
        ? secondary
        : _settings.Account;

    private int Held => _transactional.Count + _collection.Count + _waiting.Count + _inFlight;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _settings = services.Options.Value;
        _senders = services.Senders.ToDictionary(s => s.Name, StringComparer.Ordinal);
        if (!_senders.ContainsKey(_settings.Account))
        {
            throw new InvalidOperationException($"no SMS sender named '{_settings.Account}' is registered (Dispatch:Account)");
        }

        if (_settings.SecondaryAccount is { } secondary)
        {
            if (!_senders.ContainsKey(secondary))
            {
                throw new InvalidOperationException($"no SMS sender named '{secondary}' is registered (Dispatch:SecondaryAccount)");
            }

            // Failover and failback: a Polly circuit breaker on the primary. FailoverAfter transient failures in
            // a row (all of at least that many calls within 30 s) open it and the secondary takes the traffic;
            // after FailbackAfter the next message tries the primary again (half-open) and a success closes it.
            _primaryBreaker = new ResiliencePipelineBuilder<SmsSendResult> { TimeProvider = services.Time }
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions<SmsSendResult>
                {
                    FailureRatio = 1.0,
                    MinimumThroughput = _settings.FailoverAfter,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = _settings.FailbackAfter,
                    StateProvider = _primaryState,
                    ShouldHandle = new PredicateBuilder<SmsSendResult>().HandleResult(r => r.Status == SmsSendStatus.Transient),
                    OnOpened = opened =>
                    {
                        Interlocked.Exchange(ref _primaryOpenUntilTicks, (services.Time.GetUtcNow() + opened.BreakDuration).UtcTicks);
                        LogFailover(services.Logger, this.GetPrimaryKeyString(), _settings.Account, secondary, _settings.FailbackAfter);
                        return ValueTask.CompletedTask;
                    },
                })
                .Build();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A dispatcher going away in order (its silo stops, or it is idle) gives what it still holds back to
    /// the borrowers, who offer it again. A silo that crashes cannot: see the class remarks.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var held = _transactional.Concat(_collection).Concat(_waiting).ToList();
        _transactional.Clear();
        _collection.Clear();
        _waiting.Clear();
        // Handing back is how messages survive a silo leaving a cluster whose state survives it. When the
        // in-memory default shuts down, the borrowers go with it: there is nobody to hand back to.
        if (services.Durability.Outlives(reason))
        {
            await Task.WhenAll(held.Select(pending => ReturnToBorrower(pending, "its dispatcher stopped: " + reason.Description)));
        }

        ServiceMetrics.DispatcherGone(this.GetPrimaryKeyString());
    }

    public Task<DispatchResult> EnqueueAsync(OutboundMessage message)
    {
        var now = services.Time.GetUtcNow();
        if (_keys.ContainsKey(message.MessageKey))
        {
            return Task.FromResult(DispatchResult.Accepted); // a resend of a key we hold or sent lately
        }

        if (Held >= _settings.QueueCapacity)
        {
            ServiceMetrics.Message("deferred", _settings.Account);
            return Task.FromResult(new DispatchResult(DispatchOutcome.Deferred, now + _settings.QueueFullRetry, "dispatcher queue full"));
        }

        _keys[message.MessageKey] = now;
        (message.Transactional ? _transactional : _collection).AddLast(new Pending(message));
        ServiceMetrics.QueueDepth(this.GetPrimaryKeyString(), Held);
        StartPump();
        return Task.FromResult(DispatchResult.Accepted);
    }

    public Task<DispatcherStats> GetStatsAsync() => Task.FromResult(new DispatcherStats(
        _transactional.Count + _collection.Count + _waiting.Count, _inFlight, _sent, _retried, _failed, _returned, _throttled, ActiveAccount));

    private void StartPump()
    {
        if (!_pumping)
        {
            _pumping = true;
            _ = PumpAsync();
        }
    }

    /// <summary>Leases slots while there is work and uses each for the next message due.</summary>
    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                var now = services.Time.GetUtcNow();
                PromoteDue(now);
                var ready = _transactional.Count + _collection.Count;
                if (ready == 0)
                {
                    if (_waiting.Count == 0)
                    {
                        return;
                    }

                    await Task.Delay(Until(_waiting.Min(w => w.NotBefore), now), services.Time);
                    continue;
                }

                if (_inFlight >= _settings.MaxInFlight)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(5), services.Time);
                    continue;
                }

                var account = ActiveAccount;
                var grant = await GrainFactory.GetGrain<IRateCoordinatorGrain>(account)
                    .LeaseAsync(Math.Min(ready, _settings.MaxInFlight - _inFlight));
                if (grant.Count == 0)
                {
                    await Task.Delay(Until(grant.RetryAt, services.Time.GetUtcNow()), services.Time);
                    continue;
                }

                for (var slot = 0; slot < grant.Count; slot++)
                {
                    var at = grant.SlotAt(slot);
                    var wait = Until(at, services.Time.GetUtcNow());
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, services.Time);
                    }

                    if (services.Time.GetUtcNow() - at > SlotTolerance)
                    {
                        continue; // woke too late for this slot: using it would bunch sends above the rate
                    }

                    if (TakeNext(services.Time.GetUtcNow()) is not { } pending)
                    {
                        break; // the rest of the lease goes unused: idle capacity, never a later burst
                    }

                    _inFlight++;
                    _ = SendAsync(pending, account);
                }
            }
        }
        catch (Exception ex)
        {
            LogPumpFailed(services.Logger, ex, this.GetPrimaryKeyString());
        }
        finally
        {
            _pumping = false;
            if (_transactional.Count + _collection.Count + _waiting.Count > 0)
            {
                this.RegisterGrainTimer(() => { StartPump(); return Task.CompletedTask; },
                    new GrainTimerCreationOptions { DueTime = TimeSpan.FromSeconds(1), Period = Timeout.InfiniteTimeSpan, Interleave = true });
            }
        }
    }

    /// <summary>The next message that may still leave; those whose window closed go back to their borrowers.</summary>
    private Pending? TakeNext(DateTimeOffset now)
    {
        foreach (var queue in new[] { _transactional, _collection })
        {
            while (queue.First is { } first)
            {
                queue.RemoveFirst();
                if (first.Value.Message.SendBy > now)
                {
                    return first.Value;
                }

                _ = ReturnToBorrower(first.Value, "its send-by deadline passed before a send slot was free");
            }
        }

        return null;
    }

    private async Task SendAsync(Pending pending, string account)
    {
        var message = pending.Message;
        SmsSendResult result;
        try
        {
            var sms = await services.Composer.ComposeAsync(message);
            var sender = _senders[account];
            result = account == _settings.Account && _primaryBreaker is not null
                ? await _primaryBreaker.ExecuteAsync(async ct => await sender.SendAsync(sms, ct), CancellationToken.None)
                : await sender.SendAsync(sms);
        }
        catch (BrokenCircuitException)
        {
            // The primary's circuit opened while this message waited for its slot: not an attempt.
            result = new SmsSendResult(SmsSendStatus.Throttled, Code: "circuit-open", RetryAfter: TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            result = new SmsSendResult(SmsSendStatus.Transient, Code: "exception", Detail: ex.GetType().Name);
        }
        finally
        {
            _inFlight--;
        }

        var now = services.Time.GetUtcNow();
        pending.Attempts++;
        ServiceMetrics.Message(result.Status.ToString().ToLowerInvariant(), account);
        ServiceMetrics.QueueDepth(this.GetPrimaryKeyString(), Held);
        switch (result.Status)
        {
            case SmsSendStatus.Accepted:
                _sent++;
                _transientInARow = 0;
                break;
            case SmsSendStatus.Throttled when result.Code == "circuit-open":
                Retry(pending, now, countsAsAttempt: false);
                break;
            case SmsSendStatus.Throttled:
                _throttled++;
                await GrainFactory.GetGrain<IRateCoordinatorGrain>(account).ReportThrottledAsync();
                Retry(pending, now + (result.RetryAfter ?? TimeSpan.FromSeconds(1)), countsAsAttempt: false);
                break;
            case SmsSendStatus.Transient:
                // Failures in a row (5xx, timeouts: a provider in trouble, not one unlucky message) slow the
                // account down as throttling does (AIMD at the coordinator).
                if (++_transientInARow >= TransientSlowDownAfter)
                {
                    _transientInARow = 0;
                    await GrainFactory.GetGrain<IRateCoordinatorGrain>(account).ReportThrottledAsync();
                }

                if (pending.Attempts >= _settings.MaxAttempts)
                {
                    Fail(pending, result, "gave up after " + pending.Attempts + " attempts");
                }
                else
                {
                    Retry(pending, now + new RetryBackoff(_settings.RetryBase, _settings.RetryCap).Delay(pending.Attempts, _jitter.NextDouble()), countsAsAttempt: true);
                }

                break;
            default:
                Fail(pending, result, "refused by the provider");
                break;
        }

        ForgetOldKeys(now);
    }

    private void Retry(Pending pending, DateTimeOffset notBefore, bool countsAsAttempt)
    {
        if (!countsAsAttempt)
        {
            pending.Attempts--;
        }

        _retried++;
        pending.NotBefore = notBefore;
        _waiting.Add(pending);
        StartPump();
    }

    private void PromoteDue(DateTimeOffset now)
    {
        for (var i = _waiting.Count - 1; i >= 0; i--)
        {
            var pending = _waiting[i];
            if (pending.NotBefore <= now)
            {
                _waiting.RemoveAt(i);
                // A retry keeps its priority but goes to the front of its class: it has waited already.
                (pending.Message.Transactional ? _transactional : _collection).AddFirst(pending);
            }
        }
    }

    private void Fail(Pending pending, SmsSendResult result, string why)
    {
        _failed++;
        var status = result.Status == SmsSendStatus.Permanent ? DeliveryStatus.Undeliverable : DeliveryStatus.Failed;
        var receipt = new DeliveryReceipt(pending.Message.MessageKey, status, services.Time.GetUtcNow(), result.Code ?? why);
        _ = Notify(pending.Message.BorrowerId, borrower => borrower.HandleDeliveryReceiptAsync(receipt));
    }

    private Task ReturnToBorrower(Pending pending, string reason)
    {
        _returned++;
        ServiceMetrics.Message("returned", _settings.Account);
        _keys.Remove(pending.Message.MessageKey); // it may come back with a new window
        var unsent = new UnsentMessage(pending.Message.MessageKey, reason);
        return Notify(pending.Message.BorrowerId, borrower => borrower.ReturnUnsentAsync(unsent));
    }

    private Task Notify(string borrowerId, Func<IBorrowerGrain, Task<CommandResult>> call)
    {
        var borrower = GrainFactory.GetGrain<IBorrowerGrain>(borrowerId);
        return NotifyAsync();

        async Task NotifyAsync()
        {
            try
            {
                await call(borrower);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogNotifyFailed(services.Logger, ex, borrowerId);
            }
        }
    }

    private void ForgetOldKeys(DateTimeOffset now)
    {
        if (_keys.Count < 4 * _settings.QueueCapacity)
        {
            return;
        }

        var held = _transactional.Concat(_collection).Concat(_waiting).Select(p => p.Message.MessageKey).ToHashSet(StringComparer.Ordinal);
        foreach (var key in _keys.Where(k => now - k.Value > RecentKeysKept && !held.Contains(k.Key)).Select(k => k.Key).ToList())
        {
            _keys.Remove(key);
        }
    }

    private static TimeSpan Until(DateTimeOffset at, DateTimeOffset now) => at > now ? at - now : TimeSpan.Zero;

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatcher {Dispatcher}: the send loop failed")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception, string dispatcher);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatcher {Dispatcher}: {Primary} keeps failing, {Secondary} takes over for {For}")]
    private static partial void LogFailover(ILogger logger, string dispatcher, string primary, string secondary, TimeSpan @for);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell borrower {BorrowerId} about its message")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, string borrowerId);

    private sealed class Pending(OutboundMessage message)
    {
        public OutboundMessage Message { get; } = message;

        public int Attempts { get; set; }

        public DateTimeOffset NotBefore { get; set; }
    }
}
