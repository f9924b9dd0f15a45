using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrleansReminders.Contracts.History;
using OrleansReminders.Grains.History;
using OrleansReminders.PostgreSql.Tests.Infrastructure;

namespace OrleansReminders.PostgreSql.Tests.History;

[Collection(PostgreSqlCollection.Name)]
public sealed class ContactEventStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private NpgsqlDataSource _dataSource = null!;
    private PostgreSqlContactEventStore _store = null!;

    public Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(TestDatabase.ConnectionString);
        _store = new PostgreSqlContactEventStore(_dataSource, NullLogger<PostgreSqlContactEventStore>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    [Fact]
    public async Task ReplayedEventsAreStoredExactlyOnce()
    {
        var borrower = NewBorrower();
        var events = Enumerable.Range(0, 3).Select(i => Event(borrower, i)).ToList();

        await _store.AppendAsync(events);
        await _store.AppendAsync(events);
        await _store.AppendAsync([events[1], events[1]]);

        Assert.Equal(3, await CountAsync(borrower));
    }

    [Fact]
    public async Task ConcurrentAppendsFromManyGrainsAllArrive()
    {
        var borrowers = Enumerable.Range(0, 40).Select(_ => NewBorrower()).ToList();

        await Task.WhenAll(borrowers.Select(b => _store.AppendAsync(Enumerable.Range(0, 25).Select(i => Event(b, i)).ToList())));

        foreach (var borrower in borrowers)
        {
            Assert.Equal(25, await CountAsync(borrower));
        }
    }

    [Fact]
    public async Task HistoryReadsBackInOrderPageByPageWithItsFields()
    {
        var borrower = NewBorrower();
        var events = Enumerable.Range(0, 7).Select(i => Event(borrower, i)).Reverse().ToList();
        await _store.AppendAsync(events);

        var first = await _store.ReadAsync(borrower, cursor: null, limit: 3);
        var second = await _store.ReadAsync(borrower, first.NextCursor, limit: 3);
        var third = await _store.ReadAsync(borrower, second.NextCursor, limit: 3);

        var read = first.Events.Concat(second.Events).Concat(third.Events).ToList();
        Assert.Equal(events.OrderBy(e => e.OccurredAt).Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.Null(third.NextCursor);
        Assert.Single(third.Events);
        var written = events.Single(e => e.EventId == read[2].EventId);
        Assert.Equal(written with { Data = null }, read[2] with { Data = null });
        Assert.Equal(written.Data, read[2].Data);
    }

    [Fact]
    public async Task APeriodReturnsEveryBorrowersEventsFromItsStartUpToButNotIncludingItsEnd()
    {
        var borrower = NewBorrower();
        var other = NewBorrower();
        await _store.AppendAsync([.. Enumerable.Range(0, 10).Select(i => Event(borrower, i)), Event(other, 4)]);

        var found = new List<ContactEvent>();
        await foreach (var e in _store.ReadPeriodAsync(T0.AddMinutes(3), T0.AddMinutes(7), 100_000))
        {
            found.Add(e);
        }

        Assert.Equal([3, 4, 5, 6], found.Where(e => e.BorrowerId == borrower).Select(e => (int)(e.OccurredAt - T0).TotalMinutes).Order());
        Assert.Contains(found, e => e.BorrowerId == other);
    }

    [Fact]
    public async Task AMalformedCursorIsAFormatError() =>
        await Assert.ThrowsAsync<FormatException>(() => _store.ReadAsync("b", "not-a-cursor", 10));

    private static ContactEvent Event(string borrower, int i) => new(
        Guid.NewGuid(), borrower, T0.AddMinutes(i), "sms.sent", "system", Channel: "sms", Stage: $"overdue.d{i}",
        Data: ImmutableDictionary<string, string>.Empty.Add("template", "overdue.v1"));

    private static string NewBorrower() => "hist-" + Guid.NewGuid().ToString("N")[..12];

    private static Task<long> CountAsync(string borrower) =>
        TestDatabase.ScalarAsync<long>("SELECT count(*) FROM contact_events WHERE borrower_id = @b", ("b", borrower));
}
