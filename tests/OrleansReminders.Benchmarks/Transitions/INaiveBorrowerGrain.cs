namespace OrleansReminders.Benchmarks.Transitions;

/// <summary>A benchmark-only borrower: the naive pattern of writing state and re-registering the reminder on every step.</summary>
[Alias("OrleansReminders.Benchmarks.INaiveBorrowerGrain")]
public interface INaiveBorrowerGrain : IGrainWithStringKey
{
    /// <summary>Advances one stage: mutates state, writes it, re-registers the reminder. Returns the new step.</summary>
    [Alias("Step")]
    Task<int> StepAsync();

    /// <summary>Activates the grain and fills its state in memory (nothing is written). Returns the step.</summary>
    [Alias("Touch")]
    Task<int> TouchAsync();
}
