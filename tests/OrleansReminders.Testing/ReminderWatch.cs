using Orleans.Reminders.Diagnostics;

namespace OrleansReminders.Testing;

/// <summary>
/// Follows Orleans' reminder diagnostics for the grains a test owns, so a fake clock is only moved past a
/// tick once the silo has armed its wait for it. Orleans skips a tick whose time passed before the wait
/// was armed (a late load, a re-registration); tests that move the clock blindly become timing-dependent.
/// Set REMINDER_WATCH_DEBUG=1 to print every watched event to stderr.
/// </summary>
public sealed class ReminderWatch : IObserver<ReminderEvents.ReminderEvent>, IDisposable
{
    private readonly Func<string, bool> _owns;
    private readonly Dictionary<string, LocalReminder> _reminders = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Watches the reminders of grains whose key satisfies <paramref name="owns"/>.</summary>
    public ReminderWatch(Func<string, bool> owns)
    {
        _owns = owns;
        _subscription = ReminderEvents.AllEvents.Subscribe(this);
    }

    /// <summary>Waits until the grain's reminder is loaded on a silo and waiting for its next tick, with no tick in flight.</summary>
    public Task WaitArmedAsync(string grainKey, TimeSpan timeout) =>
        WaitAsync(grainKey, r => r is { IsArmed: true }, timeout, "armed");

    /// <summary>
    /// Waits until nothing is pending for the grain's reminder: it is armed, or it is not held locally
    /// (never registered, unregistered or stopped), and no tick is being delivered.
    /// </summary>
    public Task WaitSettledAsync(string grainKey, TimeSpan timeout) =>
        WaitAsync(grainKey, r => r is null || r.IsSettled, timeout, "settled");

    /// <summary>Ticks delivered to the grain (completed or failed) since the watch started.</summary>
    public int DeliveredTicks(string grainKey)
    {
        lock (_lock)
        {
            return _reminders.TryGetValue(grainKey, out var reminder) ? reminder.Delivered : 0;
        }
    }

    public void OnNext(ReminderEvents.ReminderEvent value)
    {
        var key = value.GrainId.Key.ToString();
        if (key is null || !_owns(key))
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("REMINDER_WATCH_DEBUG") is not null)
        {
            Console.Error.WriteLine($"WATCH {DateTime.UtcNow:HH:mm:ss.fff} {value.GetType().Name} {key} {value.SiloAddress} " + value switch
            {
                ReminderEvents.LocalReminderTickWaitArmed a => $"v{a.ScheduleVersion} id{a.Identity.GetHashCode()}",
                ReminderEvents.LocalReminderScheduleChanged c => $"v{c.ScheduleVersion} id{c.Identity.GetHashCode()}",
                ReminderEvents.LocalReminderStarted st => $"id{st.Identity.GetHashCode()}",
                ReminderEvents.LocalReminderStopped sp => $"{sp.Reason} id{sp.Identity.GetHashCode()}",
                _ => "",
            });
        }

        lock (_lock)
        {
            if (!_reminders.TryGetValue(key, out var reminder))
            {
                _reminders[key] = reminder = new LocalReminder();
            }

            reminder.Apply(value);
            _changed.TrySetResult();
            _changed = NewSignal();
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose() => _subscription.Dispose();

    private async Task WaitAsync(string grainKey, Func<LocalReminder?, bool> done, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (done(_reminders.GetValueOrDefault(grainKey)))
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                string state;
                lock (_lock)
                {
                    state = _reminders.GetValueOrDefault(grainKey)?.ToString() ?? "no reminder events";
                }

                throw new TimeoutException($"the reminder of {grainKey} was not {what} within {timeout.TotalSeconds:0} s ({state})");
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What the watch knows about one grain's local reminder (the newest local instance wins).</summary>
    private sealed class LocalReminder
    {
        private object? _identity;
        private long _scheduleVersion;
        private long _armedVersion = -1;

        public int InFlight { get; private set; }

        public int Delivered { get; private set; }

        public bool Stopped { get; private set; }

        public bool IsArmed => _identity is not null && !Stopped && InFlight == 0 && _armedVersion >= _scheduleVersion;

        /// <summary>No local instance is held (not loaded yet, outside the loading window, stopped) or it is armed.</summary>
        public bool IsSettled => InFlight == 0 && (_identity is null || Stopped || IsArmed);

        public void Apply(ReminderEvents.ReminderEvent value)
        {
            switch (value)
            {
                case ReminderEvents.LocalReminderStarted started:
                    (_identity, _scheduleVersion, _armedVersion, Stopped) = (started.Identity, 0, -1, false);
                    break;
                case ReminderEvents.LocalReminderScheduleChanged changed when changed.Identity == _identity:
                    _scheduleVersion = Math.Max(_scheduleVersion, changed.ScheduleVersion);
                    break;
                case ReminderEvents.LocalReminderTickWaitArmed armed when armed.Identity == _identity:
                    _armedVersion = Math.Max(_armedVersion, armed.ScheduleVersion);
                    break;
                case ReminderEvents.TickFiring:
                    InFlight++;
                    _armedVersion = -1;
                    break;
                case ReminderEvents.TickCompleted or ReminderEvents.TickFailed:
                    InFlight = Math.Max(0, InFlight - 1);
                    Delivered++;
                    break;
                case ReminderEvents.LocalReminderStopped stopped when stopped.Identity == _identity:
                    Stopped = true;
                    break;
            }
        }

        public override string ToString() =>
            $"schedule v{_scheduleVersion}, armed v{_armedVersion}, in flight {InFlight}, delivered {Delivered}, stopped {Stopped}";
    }
}
