namespace OrleansReminders.Contracts.Dispatching;

public enum DispatchOutcome
{
    /// <summary>Taken over for sending (or recognised as already taken over: same key).</summary>
    Accepted,

    /// <summary>Not now (queues full, provider throttling): the borrower keeps it and retries at RetryAt.</summary>
    Deferred,

    /// <summary>Will never be sent (invalid number, window closed): a recorded failure.</summary>
    Rejected,
}

[GenerateSerializer, Immutable, Alias("OrleansReminders.DispatchResult")]
public sealed record DispatchResult(
    [property: Id(0)] DispatchOutcome Outcome,
    [property: Id(1)] DateTimeOffset? RetryAt = null,
    [property: Id(2)] string? Reason = null)
{
    public static DispatchResult Accepted { get; } = new(DispatchOutcome.Accepted);
}
