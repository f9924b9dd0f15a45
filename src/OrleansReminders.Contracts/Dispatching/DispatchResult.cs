namespace OrleansReminders.Contracts.Dispatching;

public enum DispatchOutcome
{
    /// <summary>Taken over for sending (or recognised as already held: same key). It stays under the borrower's lease.</summary>
    Accepted,

    /// <summary>Not now (queues full, provider throttling): the borrower keeps it and retries at RetryAt.</summary>
    Deferred,

    /// <summary>Will never be sent (invalid number, window closed): a recorded failure.</summary>
    Rejected,

    /// <summary>This dispatcher already had it accepted by the provider: the borrower records it as sent.</summary>
    AlreadySent,
}

[GenerateSerializer, Immutable, Alias("OrleansReminders.DispatchResult")]
public sealed record DispatchResult(
    [property: Id(0)] DispatchOutcome Outcome,
    [property: Id(1)] DateTimeOffset? RetryAt = null,
    [property: Id(2)] string? Reason = null)
{
    public static DispatchResult Accepted { get; } = new(DispatchOutcome.Accepted);
}
