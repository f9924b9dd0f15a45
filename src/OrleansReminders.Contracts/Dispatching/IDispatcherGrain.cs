namespace OrleansReminders.Contracts.Dispatching;

/// <summary>One dispatcher of the pool (key: "{index}"): queues messages and sends them in leased slots.</summary>
[Alias("OrleansReminders.IDispatcherGrain")]
public interface IDispatcherGrain : IGrainWithStringKey
{
    /// <summary>Takes a message over for sending (a key already held is recognised); "deferred" when the queue is full.</summary>
    [Alias("Enqueue")]
    Task<DispatchResult> EnqueueAsync(OutboundMessage message);

    /// <summary>Queue depth and counters.</summary>
    [Alias("GetStats")]
    Task<DispatcherStats> GetStatsAsync();
}

[GenerateSerializer, Immutable, Alias("OrleansReminders.DispatcherStats")]
public sealed record DispatcherStats(
    [property: Id(0)] int Queued,
    [property: Id(1)] int InFlight,
    [property: Id(2)] long Sent,
    [property: Id(3)] long Retried,
    [property: Id(4)] long Failed,
    [property: Id(5)] long Returned,
    [property: Id(6)] long Throttled,
    [property: Id(7)] string ActiveAccount,
    [property: Id(8)] long Doubts = 0,
    [property: Id(9)] string Silo = "");
