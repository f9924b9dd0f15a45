using System.Collections.Immutable;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using OrleansReminders.Contracts.History;

namespace OrleansReminders.Grains.History;

/// <summary>
/// The <c>contact_events</c> table. Appends from every grain of the silo are queued and written by one
/// loop in multi-row statements (up to <see cref="MaxBatch"/> events each, <see cref="MaxInFlight"/> at
/// once), so a busy silo issues few inserts; each caller's task completes when its events are committed. Inserts are
/// <c>ON CONFLICT (event_id) DO NOTHING</c>: a retry after a crash or timeout never duplicates.
/// </summary>
public sealed partial class PostgreSqlContactEventStore : IContactEventStore, IAsyncDisposable
{
    public const int MaxBatch = 500;

    /// <summary>Inserts in flight at once.</summary>
    public const int MaxInFlight = 3;

    private const string InsertSql = """
        INSERT INTO contact_events (event_id, borrower_id, occurred_at, kind, actor, channel, stage, reason, data)
        SELECT * FROM unnest(@ids, @borrowers, @at, @kinds, @actors, @channels, @stages, @reasons, @data)
        ON CONFLICT (event_id) DO NOTHING
        """;

    private const string ReadSql = """
        SELECT event_id, borrower_id, occurred_at, kind, actor, channel, stage, reason, data::text
          FROM contact_events
         WHERE borrower_id = @borrower
           AND (@after_at IS NULL OR (occurred_at, event_id) > (@after_at, @after_id))
         ORDER BY occurred_at, event_id
         LIMIT @limit
        """;

    private const string PeriodSql = """
        SELECT event_id, borrower_id, occurred_at, kind, actor, channel, stage, reason, data::text
          FROM contact_events
         WHERE occurred_at >= @from AND occurred_at < @to
         LIMIT @limit
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgreSqlContactEventStore> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public PostgreSqlContactEventStore(NpgsqlDataSource dataSource, ILogger<PostgreSqlContactEventStore> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    public Task AppendAsync(IReadOnlyCollection<ContactEvent> events, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
        {
            return Task.CompletedTask;
        }

        var pending = new Pending(events, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgreSqlContactEventStore));
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    public async IAsyncEnumerable<ContactEvent> ReadPeriodAsync(DateTimeOffset from, DateTimeOffset to, int limit,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(PeriodSql);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    public async Task<ContactEventPage> ReadAsync(string borrowerId, string? cursor, int limit, CancellationToken cancellationToken = default)
    {
        var after = HistoryCursor.Parse(cursor);
        await using var command = _dataSource.CreateCommand(ReadSql);
        command.Parameters.AddWithValue("borrower", borrowerId);
        command.Parameters.Add(new NpgsqlParameter("after_at", NpgsqlDbType.TimestampTz)
        {
            Value = after is { } a ? DateTimeOffset.UnixEpoch.AddTicks(a.Micros * 10) : DBNull.Value,
        });
        command.Parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = after?.EventId ?? Guid.Empty });
        command.Parameters.AddWithValue("limit", limit + 1);

        var rows = new List<ContactEvent>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        return HistoryCursor.ToPage(rows, limit);
    }

    private static ContactEvent Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3),
        reader.GetString(4), NullableString(reader, 5), NullableString(reader, 6), NullableString(reader, 7),
        JsonSerializer.Deserialize<ImmutableDictionary<string, string>>(reader.GetString(8)));

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        // Up to MaxInFlight inserts at once: while one waits for its commit, the next batch is already
        // on its way, so grains waiting for their history do not queue behind a single round trip.
        using var slots = new SemaphoreSlim(MaxInFlight);
        while (await _queue.Reader.WaitToReadAsync())
        {
            await slots.WaitAsync();
            var batch = new List<Pending>();
            var count = 0;
            while (count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                count += pending.Events.Count;
            }

            _ = WriteAndReleaseAsync(batch, slots);
        }

        // Closed: wait for the inserts still in flight (each gives its slot back when done).
        for (var i = 0; i < MaxInFlight; i++)
        {
            await slots.WaitAsync();
        }
    }

    private async Task WriteAndReleaseAsync(List<Pending> batch, SemaphoreSlim slots)
    {
        try
        {
            await WriteBatchAsync(batch);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        try
        {
            await InsertAsync(batch.SelectMany(p => p.Events).DistinctBy(e => e.EventId).ToList());
            batch.ForEach(p => p.Done.TrySetResult());
        }
        catch (Exception ex)
        {
            // The callers keep their events (the grain state remembers them) and retry later.
            LogAppendFailed(_logger, ex, batch.Sum(p => p.Events.Count));
            var error = new ContactEventStoreUnavailableException(ex.Message);
            batch.ForEach(p => p.Done.TrySetException(error));
        }
    }

    private async Task InsertAsync(IReadOnlyList<ContactEvent> events)
    {
        await using var command = _dataSource.CreateCommand(InsertSql);
        command.Parameters.Add(Array("ids", NpgsqlDbType.Uuid, events.Select(e => e.EventId)));
        command.Parameters.Add(Array("borrowers", NpgsqlDbType.Varchar, events.Select(e => e.BorrowerId)));
        command.Parameters.Add(Array("at", NpgsqlDbType.TimestampTz, events.Select(e => e.OccurredAt.ToUniversalTime())));
        command.Parameters.Add(Array("kinds", NpgsqlDbType.Varchar, events.Select(e => e.Kind)));
        command.Parameters.Add(Array("actors", NpgsqlDbType.Varchar, events.Select(e => e.Actor)));
        command.Parameters.Add(Array("channels", NpgsqlDbType.Varchar, events.Select(e => e.Channel)));
        command.Parameters.Add(Array("stages", NpgsqlDbType.Varchar, events.Select(e => e.Stage)));
        command.Parameters.Add(Array("reasons", NpgsqlDbType.Text, events.Select(e => e.Reason)));
        command.Parameters.Add(Array("data", NpgsqlDbType.Jsonb,
            events.Select(e => JsonSerializer.Serialize(e.Data ?? ImmutableDictionary<string, string>.Empty))));
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values.ToArray() };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Appending {Count} contact events failed; the borrowers keep them and retry")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, int count);

    private sealed record Pending(IReadOnlyCollection<ContactEvent> Events, TaskCompletionSource Done);
}

/// <summary>The history table cannot be written right now; a serialisable error the grain can catch.</summary>
[GenerateSerializer, Alias("OrleansReminders.ContactEventStoreUnavailableException")]
public sealed class ContactEventStoreUnavailableException(string message) : Exception(message);
