namespace OrleansReminders.Sms.Simulated;

/// <summary>
/// The simulated provider's fire-and-forget work (receipts, replies, payments), tracked so that it can be
/// awaited (<see cref="DrainAsync"/>) and stopped (<see cref="StopAsync"/>). Work starts on the caller's
/// thread without the caller's execution context, so that it can arm its first timer before the caller
/// returns (a fake clock advanced right after a send then fires it), and must yield to the thread pool
/// before doing anything else. It gets a token that is cancelled on stop and handles its own errors.
/// </summary>
internal sealed class BackgroundCallbacks
{
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _pending = [];
    private readonly CancellationTokenSource _stopping = new();
    private bool _stopped;

    /// <summary>How many pieces of work have not finished.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Starts <paramref name="work"/>; false (and nothing started) once stopped.</summary>
    public bool Start(Func<CancellationToken, Task> work)
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return false;
            }

            var task = StartWithoutContext(work, _stopping.Token);
            _pending.Add(task);

            // Registered under the lock, so the removal (even of work that has already finished) follows the add.
            task.ContinueWith(Forget, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return true;
        }
    }

    /// <summary>Completes when every piece of work started so far, and any started meanwhile, has finished.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task[] snapshot;
            lock (_lock)
            {
                snapshot = [.. _pending];
            }

            if (snapshot.Length == 0)
            {
                return;
            }

            // A faulted or cancelled piece of work is finished too; only the caller's own cancellation throws.
            await Task.WhenAll(snapshot).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }

    /// <summary>Cancels the pending work, refuses new work, and waits until the pending work has ended.</summary>
    public async Task StopAsync()
    {
        bool first;
        lock (_lock)
        {
            first = !_stopped;
            _stopped = true;
        }

        if (first)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await DrainAsync().ConfigureAwait(false);
        if (first)
        {
            _stopping.Dispose();
        }
    }

    private static Task StartWithoutContext(Func<CancellationToken, Task> work, CancellationToken token)
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            return work(token);
        }

        using (ExecutionContext.SuppressFlow())
        {
            return work(token);
        }
    }

    private void Forget(Task task)
    {
        lock (_lock)
        {
            _pending.Remove(task);
        }
    }
}
