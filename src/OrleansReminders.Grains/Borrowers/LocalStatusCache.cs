using System.Collections.Concurrent;
using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// The last status each borrower activated on this silo answered, so the status endpoint of the same
/// silo can answer without a grain call (two thread hops and a message each). The grain owns its entry:
/// it puts one when it answers <see cref="IBorrowerGrain.GetStatusAsync"/> and removes it before and after
/// every other call and when it deactivates, so an entry is never older than the grain's state. An
/// entry also lapses at the borrower's next local midnight (days overdue and the tier move with the date).
/// A borrower active on another silo has no entry here: the endpoint asks the grain, as before.
/// </summary>
public sealed class LocalStatusCache(TimeProvider businessClock)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public void Put(string borrowerId, BorrowerStatus status, DateTimeOffset validUntil) =>
        _entries[borrowerId] = new Entry(status, validUntil, businessClock.GetUtcNow());

    public void Remove(string borrowerId) => _entries.TryRemove(borrowerId, out _);

    /// <summary>The borrower's status when its grain is active here and answered since its last change.</summary>
    public bool TryGet(string borrowerId, out BorrowerStatus status) => TryGet(borrowerId, out status, out _);

    /// <summary>As <see cref="TryGet(string, out BorrowerStatus)"/>, with the business time the grain computed it at.</summary>
    public bool TryGet(string borrowerId, out BorrowerStatus status, out DateTimeOffset asOf)
    {
        if (_entries.TryGetValue(borrowerId, out var entry) && businessClock.GetUtcNow() < entry.ValidUntil)
        {
            (status, asOf) = (entry.Status, entry.AsOf);
            return true;
        }

        (status, asOf) = (null!, default);
        return false;
    }

    private sealed record Entry(BorrowerStatus Status, DateTimeOffset ValidUntil, DateTimeOffset AsOf);
}
