using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Dispatching;

/// <summary>
/// A dispatcher's provider accounts: the primary, and a secondary that takes the traffic while the primary
/// keeps failing. Failover and failback are a Polly circuit breaker on the primary: FailoverAfter transient
/// failures in a row (all of at least that many calls within 30 s) open it and the secondary takes over;
/// after FailbackAfter the next message tries the primary again (half-open) and a success closes it.
/// </summary>
public sealed partial class AccountSenders
{
    private readonly DispatchOptions _settings;
    private readonly Dictionary<string, ISmsSender> _senders;
    private readonly TimeProvider _time;
    private readonly CircuitBreakerStateProvider _primaryState = new();
    private readonly ResiliencePipeline<SmsSendResult>? _primaryBreaker;
    private long _primaryOpenUntilTicks; // written from Polly's callback, which may run off the grain's scheduler

    public AccountSenders(DispatchOptions settings, IEnumerable<ISmsSender> senders, TimeProvider time, ILogger logger, string dispatcher)
    {
        _settings = settings;
        _time = time;
        _senders = senders.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var (setting, account) in new[] { ("Account", settings.Account), ("SecondaryAccount", settings.SecondaryAccount) })
        {
            if (account is not null && !_senders.ContainsKey(account))
            {
                throw new InvalidOperationException($"no SMS sender named '{account}' is registered (Dispatch:{setting})");
            }
        }

        if (settings.SecondaryAccount is not { } secondary)
        {
            return;
        }

        _primaryBreaker = new ResiliencePipelineBuilder<SmsSendResult> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<SmsSendResult>
            {
                FailureRatio = 1.0,
                MinimumThroughput = settings.FailoverAfter,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = settings.FailbackAfter,
                StateProvider = _primaryState,
                ShouldHandle = new PredicateBuilder<SmsSendResult>().HandleResult(r => r.Status == SmsSendStatus.Transient),
                OnOpened = opened =>
                {
                    Interlocked.Exchange(ref _primaryOpenUntilTicks, (time.GetUtcNow() + opened.BreakDuration).UtcTicks);
                    LogFailover(logger, dispatcher, settings.Account, secondary, settings.FailbackAfter);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>The secondary while the primary's circuit is open; once its break is over the primary again.</summary>
    public string Active => _primaryBreaker is not null && _settings.SecondaryAccount is { } secondary
        && (_primaryState.CircuitState == CircuitState.Isolated
            || (_primaryState.CircuitState == CircuitState.Open && _time.GetUtcNow().UtcTicks < Interlocked.Read(ref _primaryOpenUntilTicks)))
        ? secondary
        : _settings.Account;

    /// <summary>Every configured account can be asked by client reference (<see cref="ISmsLookup"/>).</summary>
    public bool CanAsk => Configured.All(s => s is ISmsLookup);

    private IEnumerable<ISmsSender> Configured =>
        _settings.SecondaryAccount is { } secondary ? [_senders[_settings.Account], _senders[secondary]] : [_senders[_settings.Account]];

    /// <summary>
    /// Sends through <paramref name="account"/>. A call that throws (network, timeout) is an attempt without
    /// an answer; the primary's open circuit is no attempt at all (throttled, retry at once).
    /// </summary>
    public async Task<SmsSendResult> SendAsync(string account, SmsMessage sms)
    {
        var sender = _senders[account];
        try
        {
            return account == _settings.Account && _primaryBreaker is not null
                ? await _primaryBreaker.ExecuteAsync(async ct => await sender.SendAsync(sms, ct), CancellationToken.None)
                : await sender.SendAsync(sms);
        }
        catch (BrokenCircuitException)
        {
            return new SmsSendResult(SmsSendStatus.Throttled, Code: CircuitOpen, RetryAfter: TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new SmsSendResult(SmsSendStatus.Transient, Code: NoAnswer, Detail: ex.GetType().Name);
        }
    }

    /// <summary>Whether any configured account accepted <paramref name="key"/>: true when one did, null when one could not tell.</summary>
    public async Task<bool?> WasAcceptedAsync(string key)
    {
        var unknown = false;
        foreach (var lookup in Configured.OfType<ISmsLookup>())
        {
            try
            {
                switch (await lookup.WasAcceptedAsync(key))
                {
                    case true:
                        return true;
                    case null:
                        unknown = true;
                        break;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                unknown = true;
            }
        }

        return unknown ? null : false;
    }

    /// <summary>The result code of a send skipped because the primary's circuit is open.</summary>
    public const string CircuitOpen = "circuit-open";

    /// <summary>The result code of a send whose call failed without an answer (the provider may have it).</summary>
    public const string NoAnswer = "no-answer";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatcher {Dispatcher}: {Primary} keeps failing, {Secondary} takes over for {For}")]
    private static partial void LogFailover(ILogger logger, string dispatcher, string primary, string secondary, TimeSpan @for);
}
