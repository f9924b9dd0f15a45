using OrleansReminders.Contracts.History;

namespace OrleansReminders.Grains.History;

/// <summary>The full, append-only history of every borrower (the grain keeps only a recent window).</summary>
public interface IContactEventStore
{
    /// <summary>
    /// Appends events; an event whose id is already stored is skipped, so retrying a batch is safe.
    /// Completes only when every event is durable.
    /// </summary>
    Task AppendAsync(IReadOnlyCollection<ContactEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Every borrower's events with <paramref name="from"/> ≤ time &lt; <paramref name="to"/>, at most <paramref name="limit"/>.</summary>
    IAsyncEnumerable<ContactEvent> ReadPeriodAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default);

    /// <summary>Reads a borrower's history oldest first, <paramref name="limit"/> at a time.</summary>
    Task<ContactEventPage> ReadAsync(string borrowerId, string? cursor, int limit, CancellationToken cancellationToken = default);
}
