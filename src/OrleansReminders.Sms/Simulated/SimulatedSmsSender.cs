using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Phones;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Sms.Simulated;

/// <summary>
/// The simulated SMS provider, the service's default: a send takes a random latency on the injected clock
/// and is then accepted, throttled (at random, or above the account's own per-second limit), failed
/// transiently, or refused for an invalid number. An accepted message later gets a delivery receipt and,
/// when delivered and not transactional, the simulated borrower of its tier may reply and pay; all of these
/// go to the <see cref="IInboundRouter"/> from tracked background work scheduled on the same clock, so a fake
/// clock drives them in tests and a scaled clock in demos. Per-attempt draws come from one seeded
/// <see cref="Random"/> under a lock (repeatable for a sequential driver); invalid numbers and borrower
/// reactions are derived from the seed and the number or client reference alone.
/// </summary>
public sealed partial class SimulatedSmsSender : ISmsSender, ISmsLookup, IAsyncDisposable
{
    private static readonly TimeSpan RandomThrottleRetryAfter = TimeSpan.FromSeconds(1);

    private readonly SimulatedProviderOptions _options;
    private readonly Dictionary<string, SimulatedBorrowerOptions> _borrowers;
    private readonly IInboundRouter _router;
    private readonly ILogger<SimulatedSmsSender> _logger;
    private readonly TimeProvider _time;
    private readonly BackgroundCallbacks _callbacks = new();
    private readonly Lock _lock = new();
    private readonly Random _random;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _acceptedByReference = new(StringComparer.Ordinal);
    private long _window = long.MinValue;
    private int _sentInWindow;
    private long _sequence;
    private long _sent;
    private long _throttled;
    private long _failed;
    private long _receiptsDelivered;
    private long _receiptsFailed;
    private long _replies;
    private long _payments;
    private long _callbackErrors;
    private long _callbackRetries;
    private readonly SendJournal? _journal;

    /// <summary>The longest wait between two offers of a callback.</summary>
    private static readonly TimeSpan MaxCallbackRetryWait = TimeSpan.FromSeconds(30);
    private volatile bool _disposed;

    public SimulatedSmsSender(
        IOptions<SimulatedProviderOptions> options,
        IInboundRouter router,
        ILogger<SimulatedSmsSender> logger,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = SimulatedProviderOptionsValidator.EnsureValid(options.Value);
        _router = router ?? throw new ArgumentNullException(nameof(router));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = timeProvider ?? TimeProvider.System;

        // A copy, case-insensitive whatever dictionary configuration binding produced.
        _borrowers = new(_options.Borrowers, StringComparer.OrdinalIgnoreCase);
        Seed = _options.Seed ?? Random.Shared.Next();
        _journal = _options.JournalPath is { Length: > 0 } path ? new SendJournal($"{path}.{Environment.ProcessId}", TimeProvider.System) : null;
        _random = new Random(Seed);
        LogStarted(_logger, Name, Seed);
    }

    public string Name => _options.Name;

    /// <summary>
    /// A fault switched on at run time (fault drills, <c>PUT /simulated/fault</c>): an outage refuses every send as a
    /// provider error, a throttling storm as throttled with a retry-after. Draws go on as usual meanwhile.
    /// </summary>
    public SimulatedFault Fault { get => _fault; set => _fault = value; }

    private volatile SimulatedFault _fault;

    /// <summary>The seed in use (the configured one, or the random one chosen at start-up).</summary>
    public int Seed { get; }

    /// <summary>Accepted messages whose receipts, replies or payments have not all been routed yet.</summary>
    public int PendingCallbacks => _callbacks.Pending;

    /// <summary>What this provider has done so far.</summary>
    public SimulatedSmsCounters Counters => new(
        Interlocked.Read(ref _sent),
        Interlocked.Read(ref _throttled),
        Interlocked.Read(ref _failed),
        Interlocked.Read(ref _receiptsDelivered),
        Interlocked.Read(ref _receiptsFailed),
        Interlocked.Read(ref _replies),
        Interlocked.Read(ref _payments),
        Interlocked.Read(ref _callbackErrors),
        Interlocked.Read(ref _callbackRetries));

    /// <summary>How many times each client reference was accepted (a key accepted twice was sent twice).</summary>
    public IReadOnlyDictionary<string, int> AcceptedByReference => new Dictionary<string, int>(_acceptedByReference, StringComparer.Ordinal);

    /// <summary>The provider keeps every reference it accepted, so it can always answer.</summary>
    public Task<bool?> WasAcceptedAsync(string clientReference, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.FromResult<bool?>(_acceptedByReference.ContainsKey(clientReference));
    }

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var attempt = Draw(message, _time.GetUtcNow());
        if (attempt.Latency > TimeSpan.Zero)
        {
            await Task.Delay(attempt.Latency, _time, cancellationToken).ConfigureAwait(false);
        }

        return attempt.Result.Status == SmsSendStatus.Accepted ? Accept(message, attempt) : Refuse(message, attempt.Result);
    }

    /// <summary>Completes when every receipt, reply and payment planned so far has been routed (advance a fake clock first).</summary>
    public Task DrainAsync(CancellationToken cancellationToken = default) => _callbacks.DrainAsync(cancellationToken);

    /// <summary>Refuses further sends and drops the receipts, replies and payments not yet routed.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _callbacks.StopAsync().ConfigureAwait(false);
        _journal?.Dispose();
    }

    private SendAttempt Draw(SmsMessage message, DateTimeOffset now)
    {
        var invalidNumber = IsInvalidNumber(message.To);
        lock (_lock)
        {
            // The same number of draws for every send, so one send's outcome never shifts the next one's.
            var latency = DerivedRandom.Uniform(_random.NextDouble(), _options.MinLatency, _options.MaxLatency);
            var outcome = _random.NextDouble();
            var receiptDelay = DerivedRandom.Uniform(_random.NextDouble(), _options.MinReceiptDelay, _options.MaxReceiptDelay);
            var delivered = _random.NextDouble() < _options.DeliveryRate;
            var undeliverable = _random.NextDouble() < 0.5;

            var result = Fault == SimulatedFault.Outage ? new SmsSendResult(SmsSendStatus.Transient, Code: "SIM-OUTAGE", Detail: "simulated provider outage")
                : Fault == SimulatedFault.ThrottleStorm ? Throttled("SIM-THROTTLE-STORM", "simulated throttling storm", RandomThrottleRetryAfter)
                : !Admit(now, out var wait) ? Throttled("SIM-RATE-LIMIT", "account rate limit reached", wait)
                : invalidNumber ? new SmsSendResult(SmsSendStatus.Permanent, Code: "SIM-INVALID-NUMBER", Detail: "simulated invalid number")
                : outcome < _options.ThrottleRate ? Throttled("SIM-THROTTLED", "simulated congestion", RandomThrottleRetryAfter)
                : outcome < _options.ThrottleRate + _options.FailureRate ? new SmsSendResult(SmsSendStatus.Transient, Code: "SIM-UNAVAILABLE", Detail: "simulated provider error")
                : SmsSendResult.Accepted($"{Name}-{++_sequence}");
            return new SendAttempt(result, latency, receiptDelay, delivered, undeliverable);
        }
    }

    /// <summary>Counts the send in the current second of the clock, unless the account's limit is reached there.</summary>
    private bool Admit(DateTimeOffset now, out TimeSpan untilNextWindow)
    {
        var second = now.UtcTicks / TimeSpan.TicksPerSecond;
        if (second != _window)
        {
            _window = second;
            _sentInWindow = 0;
        }

        untilNextWindow = TimeSpan.FromTicks(((second + 1) * TimeSpan.TicksPerSecond) - now.UtcTicks);
        if (_options.MaxRatePerSecond is { } max && _sentInWindow >= max)
        {
            return false;
        }

        _sentInWindow++;
        return true;
    }

    private bool IsInvalidNumber(string to) =>
        new DerivedRandom(Seed, "number", to).NextDouble() < _options.PermanentFailureRate;

    private static SmsSendResult Throttled(string code, string detail, TimeSpan retryAfter) =>
        new(SmsSendStatus.Throttled, Code: code, Detail: detail, RetryAfter: retryAfter);

    private SmsSendResult Accept(SmsMessage message, SendAttempt attempt)
    {
        Interlocked.Increment(ref _sent);
        _acceptedByReference.AddOrUpdate(message.ClientReference, 1, (_, count) => count + 1);
        _journal?.Accepted(message.ClientReference);
        var plan = Plan(message, attempt, _time.GetUtcNow());
        if (!_callbacks.Start(token => RunAsync(message, plan, token)))
        {
            LogStopped(_logger, Name, message.ClientReference);
        }

        return attempt.Result;
    }

    private SmsSendResult Refuse(SmsMessage message, SmsSendResult result)
    {
        Interlocked.Increment(ref result.Status == SmsSendStatus.Throttled ? ref _throttled : ref _failed);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            // Masking parses the number: only when the line is written.
            LogRefused(_logger, Name, message.ClientReference, PhoneNormalizer.Mask(message.To), result.Status, result.Code);
        }

        return result;
    }

    /// <summary>The receipt and, after a delivery, the borrower's reactions, in the order they happen.</summary>
    private List<PlannedCallback> Plan(SmsMessage message, SendAttempt attempt, DateTimeOffset acceptedAt)
    {
        var receiptAt = acceptedAt + attempt.ReceiptDelay;
        if (receiptAt > message.ValidUntil)
        {
            // The validity period ran out before the handset could be reached: the provider gives up at its end.
            var at = message.ValidUntil > acceptedAt ? message.ValidUntil : acceptedAt;
            return [new PlannedCallback(at, CallbackKind.Receipt, Status: DeliveryStatus.Failed, Code: "SIM-EXPIRED")];
        }

        if (!attempt.Delivered)
        {
            return attempt.Undeliverable
                ? [new PlannedCallback(receiptAt, CallbackKind.Receipt, Status: DeliveryStatus.Undeliverable, Code: "SIM-UNDELIVERABLE")]
                : [new PlannedCallback(receiptAt, CallbackKind.Receipt, Status: DeliveryStatus.Failed, Code: "SIM-HANDSET-ERROR")];
        }

        var reactions = SimulatedBorrowers.React(_options, _borrowers, Seed, message, receiptAt).OrderBy(c => c.DueAt);
        return [new PlannedCallback(receiptAt, CallbackKind.Receipt), .. reactions];
    }

    private async Task RunAsync(SmsMessage message, List<PlannedCallback> plan, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var callback in plan)
            {
                // Due times are absolute: after a clock jump everything already due runs at once, in order.
                // Always yield to the thread pool, so that no callback runs on the sender's (or a grain's) thread.
                var wait = callback.DueAt - _time.GetUtcNow();
                var due = wait > TimeSpan.Zero ? Task.Delay(wait, _time, cancellationToken) : Task.CompletedTask;
                await due.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);

                cancellationToken.ThrowIfCancellationRequested();
                await RouteAsync(message, callback, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the rest of this message's callbacks are dropped.
        }
    }

    /// <summary>
    /// Offers a callback to the service until it takes it, up to <see cref="SimulatedProviderOptions.CallbackAttempts"/>
    /// times (real-time backoff between offers), as a provider retries a webhook that did not answer 2xx.
    /// </summary>
    private async Task RouteAsync(SmsMessage message, PlannedCallback callback, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RouteOnceAsync(message, callback).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= _options.CallbackAttempts)
                {
                    // The router's trouble is not the provider's: log it, keep the process and the other callbacks going.
                    Interlocked.Increment(ref _callbackErrors);
                    LogRouteFailed(_logger, ex, Name, callback.Kind, message.ClientReference);
                    return;
                }

                Interlocked.Increment(ref _callbackRetries);
                var wait = _options.CallbackRetryBase * Math.Pow(2, Math.Min(attempt - 1, 10));
                await Task.Delay(wait < MaxCallbackRetryWait ? wait : MaxCallbackRetryWait, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RouteOnceAsync(SmsMessage message, PlannedCallback callback)
    {
        var reference = message.ClientReference;
        switch (callback.Kind)
        {
            case CallbackKind.Receipt:
                await _router.ReceiptAsync(reference, callback.Status, callback.DueAt, callback.Code).ConfigureAwait(false);
                Interlocked.Increment(ref callback.Status == DeliveryStatus.Delivered ? ref _receiptsDelivered : ref _receiptsFailed);
                break;
            case CallbackKind.Reply:
                await _router.ReplyAsync(message.BorrowerId, SimulatedBorrowers.ReplyId(reference), callback.Text!, callback.DueAt, reference).ConfigureAwait(false);
                Interlocked.Increment(ref _replies);
                break;
            case CallbackKind.Payment:
                await _router.SimulatedPaymentAsync(message.BorrowerId, SimulatedBorrowers.PaymentId(reference), callback.DueAt).ConfigureAwait(false);
                Interlocked.Increment(ref _payments);
                break;
        }
    }

    private sealed record SendAttempt(SmsSendResult Result, TimeSpan Latency, TimeSpan ReceiptDelay, bool Delivered, bool Undeliverable);
}
