using System.Collections.Immutable;
using OrleansReminders.Contracts.History;

namespace OrleansReminders.Grains.History;

/// <summary>History for the embedded default: kept in this process only, gone at restart.</summary>
public sealed class InMemoryContactEventStore : IContactEventStore
{
    private readonly Lock _gate = new();
    private readonly HashSet<Guid> _ids = [];
    private readonly Dictionary<string, List<ContactEvent>> _byBorrower = new(StringComparer.Ordinal);

    public Task AppendAsync(IReadOnlyCollection<ContactEvent> events, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var e in events.Where(e => _ids.Add(e.EventId)))
            {
                if (!_byBorrower.TryGetValue(e.BorrowerId, out var list))
                {
                    _byBorrower[e.BorrowerId] = list = [];
                }

                list.Add(e);
            }
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<ContactEvent> ReadPeriodAsync(DateTimeOffset from, DateTimeOffset to, int limit,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<ContactEvent> found;
        lock (_gate)
        {
            found = [.. _byBorrower.Values.SelectMany(l => l).Where(e => e.OccurredAt >= from && e.OccurredAt < to).Take(limit)];
        }

        foreach (var e in found)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }

        await Task.CompletedTask;
    }

    public Task<ContactEventPage> ReadAsync(string borrowerId, string? cursor, int limit, CancellationToken cancellationToken = default)
    {
        var after = HistoryCursor.Parse(cursor);
        lock (_gate)
        {
            var ordered = _byBorrower.TryGetValue(borrowerId, out var list)
                ? list.OrderBy(e => e.OccurredAt).ThenBy(e => e.EventId)
                : Enumerable.Empty<ContactEvent>();
            var page = ordered.Where(e => after is null || HistoryCursor.IsAfter(e, after.Value))
                .Take(limit + 1).ToList();
            return Task.FromResult(HistoryCursor.ToPage(page, limit));
        }
    }
}
