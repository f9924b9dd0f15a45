using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using OrleansReminders.Contracts.History;
using OrleansReminders.Grains.Borrowers;
using OrleansReminders.Grains.History;

namespace OrleansReminders.Grains.Tests.Borrowers;

/// <summary>History not yet appended to the contact event store, in state as this build writes it and as earlier builds did.</summary>
public sealed class BorrowerStoreTests
{
    private static readonly RecentEventCodec Codec =
        new(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer<ContactEvent>>());

    [Fact]
    public async Task PendingEventsOfBothEncodingsAreAppendedOnceOldestFirstAndLeaveState()
    {
        var (legacy, encoded) = (Event("borrower.upserted", 1), Event("message.queued", 2));
        var state = new BorrowerState { Exists = true, Unflushed = [legacy], Pending = [Codec.Encode(encoded)] };
        var events = new InMemoryContactEventStore();
        var store = new BorrowerStore("b-1", new Persistent(state), Codec, events, NullLogger.Instance);

        Assert.True(store.HasUnflushed);
        Assert.True(await store.FlushAsync());
        Assert.True(await store.FlushAsync()); // nothing left: appends nothing more

        var written = (await events.ReadAsync("b-1", null, 10)).Events;
        Assert.Equal([legacy.EventId, encoded.EventId], written.Select(e => e.EventId));
        Assert.Equal("b-1", written[1].BorrowerId); // the encoding leaves the id out; decoding restores it
        Assert.False(store.HasUnflushed);
        Assert.True(store.Dirty);
    }

    [Fact]
    public async Task AFailedAppendKeepsThePendingEventsForTheNextTry()
    {
        var state = new BorrowerState { Exists = true, Pending = [Codec.Encode(Event("message.queued", 1))] };
        var store = new BorrowerStore("b-1", new Persistent(state), Codec, new Refusing(), NullLogger.Instance);

        Assert.False(await store.FlushAsync());

        Assert.True(store.HasUnflushed);
        Assert.Single(state.Pending);
    }

    private static ContactEvent Event(string kind, int minute) =>
        new(Guid.NewGuid(), "b-1", DateTimeOffset.UnixEpoch.AddMinutes(minute), kind, "system", Data: System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("messageKey", "b-1:1:L0"));

    private sealed class Persistent(BorrowerState state) : IPersistentState<BorrowerState>
    {
        public BorrowerState State { get; set; } = state;
        public string? Etag => null;
        public bool RecordExists => true;
        public Task ClearStateAsync() => Task.CompletedTask;
        public Task ReadStateAsync() => Task.CompletedTask;
        public Task WriteStateAsync() => Task.CompletedTask;
    }

    private sealed class Refusing : IContactEventStore
    {
        public Task AppendAsync(IReadOnlyCollection<ContactEvent> events, CancellationToken cancellationToken = default) =>
            Task.FromException(new ContactEventStoreUnavailableException("down (test)"));

        public Task<ContactEventPage> ReadAsync(string borrowerId, string? cursor, int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ContactEventPage([], null));

        public IAsyncEnumerable<ContactEvent> ReadPeriodAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default) =>
            AsyncEnumerable.Empty<ContactEvent>();
    }
}
