namespace OrleansReminders.Benchmarks.Transitions;

/// <summary>
/// One way of persisting a stage transition, driven by <see cref="TransitionDriver"/> at a fixed
/// concurrency for a fixed time. Adding a scenario (the real borrower grain, later) is: implement this,
/// add it to the list in <see cref="TransitionsCommand"/>.
/// </summary>
public interface ITransitionScenario : IAsyncDisposable
{
    /// <summary>Label printed in the results table.</summary>
    string Name { get; }

    /// <summary>Creates what the scenario needs and warms up every key once; not timed.</summary>
    Task SetupAsync(TransitionSettings settings, CancellationToken cancellationToken);

    /// <summary>One persisted transition. <paramref name="i"/> is a run-wide sequence number; map it to a key.</summary>
    Task StepAsync(int worker, long i);

    /// <summary>A line comparing what the database holds with the number of steps the driver completed.</summary>
    Task<string> CheckAsync(long completedSteps) => Task.FromResult("");
}

/// <summary>What every scenario of one run shares.</summary>
public sealed record TransitionSettings(string ConnectionString, string RunId, int Concurrency, int Keys, TimeSpan Duration);
