using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace OrleansReminders.Benchmarks.Transitions;

/// <summary>
/// (a) The database's own ceiling: one single-row <c>INSERT … ON CONFLICT DO UPDATE</c> of a JSON document
/// as large as the naive grain's stored state, into a table of its own, over the same keys and concurrency.
/// The statement is prepared (auto-prepare) on each pooled connection, and connections are not reset on return.
/// </summary>
public sealed class RawUpsertScenario(int documentBytes) : ITransitionScenario
{
    public const string Table = "bench_raw_upsert";

    private const string UpsertSql = $"""
        INSERT INTO {Table} AS t (id, doc, version) VALUES ($1, $2, 1)
        ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, version = t.version + 1
        """;

    private NpgsqlDataSource? _dataSource;
    private string[] _keys = [];
    private byte[] _document = [];

    public string Name => "(a) raw upsert (prepared, no reset)";

    public async Task SetupAsync(TransitionSettings settings, CancellationToken cancellationToken)
    {
        // A raw client at its best, the ceiling: its one statement prepared (Orleans' providers do not
        // prepare) and no session reset when a connection goes back to the pool.
        var connection = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        connection.MaxAutoPrepare = Math.Max(connection.MaxAutoPrepare, 4);
        connection.NoResetOnClose = true;
        _dataSource = NpgsqlDataSource.Create(connection.ConnectionString);
        // Same fill factor as orleans_storage, so both see the same chance of HOT updates.
        await using (var create = _dataSource.CreateBatch())
        {
            create.BatchCommands.Add(new NpgsqlBatchCommand($"DROP TABLE IF EXISTS {Table}"));
            create.BatchCommands.Add(new NpgsqlBatchCommand(
                $"CREATE TABLE {Table} (id text PRIMARY KEY, doc bytea NOT NULL, version int NOT NULL) WITH (fillfactor = 80)"));
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        _document = CreateDocument(documentBytes);
        _keys = Enumerable.Range(0, settings.Keys).Select(i => $"borrower-{i:D7}").ToArray();
        await TransitionDriver.ForEachAsync(settings.Keys, settings.Concurrency, i => StepAsync(0, i), cancellationToken);
    }

    public async Task StepAsync(int worker, long i)
    {
        await using var command = _dataSource!.CreateCommand(UpsertSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _keys[i % _keys.Length] });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = _document, NpgsqlDbType = NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<string> CheckAsync(long completedSteps)
    {
        await using var command = _dataSource!.CreateCommand($"SELECT count(*), coalesce(sum(version), 0)::bigint FROM {Table}");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var rows = reader.GetInt64(0);
        var writes = reader.GetInt64(1) - rows;
        return $"{Table}: {rows:N0} rows, {writes:N0} timed-phase upserts (driver completed {completedSteps:N0})";
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    /// <summary>A UTF-8 JSON document of exactly <paramref name="size"/> bytes, shaped like grain state.</summary>
    public static byte[] CreateDocument(int size)
    {
        var body = JsonSerializer.Serialize(new
        {
            step = 1,
            tier = "medium",
            locale = "en-US",
            timeZone = "America/New_York",
            nextActionAt = DateTimeOffset.UnixEpoch,
        });
        var head = body[..^1] + ",\"pad\":\"";
        var padding = Math.Max(0, size - head.Length - 2);
        return Encoding.UTF8.GetBytes(head + new string('x', padding) + "\"}");
    }
}
