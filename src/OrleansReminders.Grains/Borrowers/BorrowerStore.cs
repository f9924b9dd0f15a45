using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using NodaTime;
using OrleansReminders.Contracts.History;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Grains.History;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// A borrower grain's storage: its <see cref="BorrowerFile"/> mapped to the stored <see cref="BorrowerState"/>,
/// and its history in that state — the recent window (each event encoded once, when recorded) and the events
/// not yet appended to the contact event store (in state until written, so a crash loses none; the same encoded
/// arrays as the window, and the events themselves kept beside them until appended). Each write
/// builds a new state object; a failed one puts the previous back, so nothing of the failed call stays.
/// </summary>
internal sealed partial class BorrowerStore(
    string borrowerId, IPersistentState<BorrowerState> store, RecentEventCodec codec, IContactEventStore events, ILogger logger)
{
    /// <summary>How many events the recent window keeps.</summary>
    public const int RecentWindow = 20;

    private readonly Dictionary<byte[], ContactEvent> _pendingEvents = new(ReferenceEqualityComparer.Instance);

    /// <summary>The last write's outbox entries by message: an unchanged (immutable) message keeps its entry.</summary>
    private Dictionary<OutboxMessage, OutboxEntry> _entries = new(ReferenceEqualityComparer.Instance);
    private List<byte[]>? _decodedFrom;
    private ImmutableArray<ContactEvent> _recent;

    /// <summary>Memory holds what storage does not yet (an acceptance kept, history flushed): the last write stores it.</summary>
    public bool Dirty { get; private set; }

    public bool HasUnflushed => store.State.Unflushed.Count > 0 || store.State.Pending.Count > 0;

    public BorrowerFile Load() => BorrowerStateMapper.Load(store.State);

    /// <summary>Takes the case's file and events as current without a write; stored with the next one.</summary>
    public BorrowerFile Keep(BorrowerCase next, Instant now)
    {
        Dirty = true;
        return Stage(next, now);
    }

    /// <summary>
    /// Writes the case's file and events as a new state object and returns the file, to be taken as current.
    /// A failed write puts the previous state object back and throws; <paramref name="onAmbiguous"/> runs when
    /// storage says its version moved on (the activation must reload).
    /// </summary>
    public async Task<BorrowerFile> SaveAsync(BorrowerCase next, Instant now, Action onAmbiguous)
    {
        var previous = store.State;
        var file = Stage(next, now);
        try
        {
            await store.WriteStateAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            store.State = previous;
            LogWriteFailed(logger, ex, borrowerId);
            if (ex is Orleans.Storage.InconsistentStateException)
            {
                onAmbiguous();
            }

            throw;
        }

        Dirty = false;
        return file;
    }

    /// <summary>The last write, for what was kept without one.</summary>
    public async Task WriteKeptAsync()
    {
        if (Dirty)
        {
            await store.WriteStateAsync();
            Dirty = false;
        }
    }

    /// <summary>The recent window decoded, oldest first (decoded again only when the window changed).</summary>
    public ImmutableArray<ContactEvent> Recent()
    {
        if (!ReferenceEquals(_decodedFrom, store.State.Recent))
        {
            _recent = [.. store.State.Recent.Select(bytes => codec.Decode(bytes, borrowerId))];
            _decodedFrom = store.State.Recent;
        }

        return _recent;
    }

    /// <summary>
    /// Appends the unflushed events and drops them from state; false when the store failed (state keeps them for
    /// a retry). The event store batches what every grain of the silo appends meanwhile into one insert.
    /// </summary>
    public async Task<bool> FlushAsync()
    {
        var (legacy, pending) = (store.State.Unflushed, store.State.Pending);
        var (legacyCount, pendingCount) = (legacy.Count, pending.Count);
        if (legacyCount + pendingCount == 0)
        {
            return true;
        }

        List<ContactEvent> batch = [.. legacy, .. pending.Select(bytes => _pendingEvents.GetValueOrDefault(bytes) ?? codec.Decode(bytes, borrowerId))];
        try
        {
            await events.AppendAsync(batch);
            legacy.RemoveRange(0, legacyCount);
            pending.RemoveRange(0, pendingCount);
            if (pending.Count == 0)
            {
                _pendingEvents.Clear();
            }

            Dirty = true; // stored state still lists them: the next write drops them
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(logger, ex, borrowerId, batch.Count);
            return false;
        }
    }

    private BorrowerFile Stage(BorrowerCase next, Instant now)
    {
        var file = next.Snapshot(now);
        var added = next.TakeEvents().Select(e => BorrowerWire.ToContactEvent(borrowerId, e)).ToList();
        var state = store.State;
        var (recent, pending) = (state.Recent, state.Pending);
        if (added.Count > 0)
        {
            var encoded = new byte[added.Count][];
            for (var i = 0; i < added.Count; i++)
            {
                encoded[i] = codec.Encode(added[i]);
                _pendingEvents[encoded[i]] = added[i];
            }

            recent = [.. state.Recent.Skip(Math.Max(0, state.Recent.Count + added.Count - RecentWindow)), .. encoded.TakeLast(RecentWindow)];
            pending = [.. state.Pending, .. encoded];
        }

        var entries = new Dictionary<OutboxMessage, OutboxEntry>(file.Outbox.Length, ReferenceEqualityComparer.Instance);
        store.State = BorrowerStateMapper.Store(file, recent, state.Unflushed, pending, message =>
            entries[message] = _entries.GetValueOrDefault(message) ?? OutboxState.ToEntry(message));
        _entries = entries;
        return file;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Borrower {BorrowerId}: state write failed; the call is undone")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string borrowerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Borrower {BorrowerId}: {Count} history events not yet written; kept for retry")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string borrowerId, int count);
}
