using Npgsql;
using OrleansReminders.PostgreSql.Tests.Infrastructure;

namespace OrleansReminders.PostgreSql.Tests.Schema;

[Collection(PostgreSqlCollection.Name)]
public sealed class SchemaTests
{
    [Fact]
    public async Task EveryScriptCanBeAppliedAgainWithoutError()
    {
        var scripts = Directory.GetFiles(TestDatabase.SqlFolder, "*.sql").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(scripts);
        await using var connection = await TestDatabase.OpenAsync();

        foreach (var script in scripts)
        {
            await using var command = new NpgsqlCommand(await File.ReadAllTextAsync(script), connection);
            await command.ExecuteNonQueryAsync();
        }

        var queries = await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM orleansquery");
        Assert.Equal(ProviderQueryKeys.All.Length, queries);
    }

    [Fact]
    public async Task TheFirstSiloStoresTheBusinessClocksOriginAndLaterOnesReadIt()
    {
        var settings = new OrleansReminders.Grains.Hosting.ClusterSettings
        {
            ServiceId = "clock-" + Guid.NewGuid().ToString("N")[..8], PostgreSql = TestDatabase.ConnectionString, TimeScale = 1440,
        };

        var first = OrleansReminders.Grains.Time.ServiceClock.Origin(settings);
        await Task.Delay(20);
        var later = OrleansReminders.Grains.Time.ServiceClock.Origin(settings);
        settings.TimeScale = 60;
        var otherScale = OrleansReminders.Grains.Time.ServiceClock.Origin(settings);

        Assert.Equal(first, later);
        Assert.NotEqual(first, otherScale);
    }

    [Fact]
    public async Task EveryQueryKeyTheProvidersReadIsRegistered()
    {
        await using var connection = await TestDatabase.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT querykey FROM orleansquery", connection);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Empty(ProviderQueryKeys.All.Except(keys));
    }

    [Fact]
    public async Task StoredStateIsCompressedWithLz4WhenTheServerHasIt()
    {
        var serverHasLz4 = await TestDatabase.ScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))");
        var compression = await TestDatabase.ScalarAsync<string>(
            "SELECT attcompression::text FROM pg_attribute WHERE attrelid = 'orleans_storage'::regclass AND attname = 'payload'");

        Assert.Equal(serverHasLz4 ? "l" : "", compression);
    }

    [Fact]
    public async Task HistoryIsIndexedForBorrowersByBTreeAndForPeriodsByBrin()
    {
        var methods = await TestDatabase.ScalarAsync<string>("""
            SELECT string_agg(c.relname || ':' || am.amname, ',' ORDER BY c.relname)
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
             WHERE i.indrelid = 'contact_events'::regclass
            """);

        Assert.Equal("contact_events_pkey:btree,ix_contact_events_borrower:btree,ix_contact_events_occurred_brin:brin", methods);
    }

    [Fact]
    public async Task IdentifierColumnsCompareBytesNotLinguistically()
    {
        var collations = await TestDatabase.ScalarAsync<string>("""
            SELECT string_agg(c.relname || '.' || a.attname || ':' || coalesce(coll.collname, '-'), ',' ORDER BY c.relname, a.attname)
              FROM pg_attribute a
              JOIN pg_class c ON c.oid = a.attrelid
              LEFT JOIN pg_collation coll ON coll.oid = a.attcollation
             WHERE (c.relname, a.attname) IN (('orleans_storage', 'service_id'), ('orleans_storage', 'grain_type'),
                    ('orleans_storage', 'grain_id_ext'), ('orleans_reminders', 'service_id'), ('orleans_reminders', 'grain_id'),
                    ('orleans_reminders', 'reminder_name'), ('contact_events', 'borrower_id'))
            """);

        Assert.Equal(
            "contact_events.borrower_id:C,orleans_reminders.grain_id:C,orleans_reminders.reminder_name:C,orleans_reminders.service_id:C," +
            "orleans_storage.grain_id_ext:C,orleans_storage.grain_type:C,orleans_storage.service_id:C",
            collations);
    }

    [Fact]
    public async Task StoredStateStaysInTheRowRatherThanInTheToastTable()
    {
        var storage = await TestDatabase.ScalarAsync<string>(
            "SELECT attstorage::text FROM pg_attribute WHERE attrelid = 'orleans_storage'::regclass AND attname = 'payload'");

        Assert.Equal("m", storage); // MAIN: compressed in place, out of line only as a last resort
    }

    [Fact]
    public async Task ContactEventsIgnoreAReplayedInsertAndRefuseChanges()
    {
        var eventId = Guid.NewGuid();
        const string Insert = """
            INSERT INTO contact_events (event_id, borrower_id, occurred_at, kind, channel, actor, data)
            VALUES (@id, 'b-schema', now(), 'sms.sent', 'sms', 'system', '{"template":"overdue.d3"}')
            ON CONFLICT (event_id) DO NOTHING
            """;
        await using var connection = await TestDatabase.OpenAsync();

        Assert.Equal(1, await Execute(connection, Insert, eventId));
        Assert.Equal(0, await Execute(connection, Insert, eventId));

        var update = await Assert.ThrowsAsync<PostgresException>(() =>
            Execute(connection, "UPDATE contact_events SET kind = 'x' WHERE event_id = @id", eventId));
        var delete = await Assert.ThrowsAsync<PostgresException>(() =>
            Execute(connection, "DELETE FROM contact_events WHERE event_id = @id", eventId));

        Assert.Contains("append-only", update.MessageText);
        Assert.Contains("append-only", delete.MessageText);
        Assert.Equal(1, await TestDatabase.ScalarAsync<long>("SELECT count(*) FROM contact_events WHERE event_id = @id", ("id", eventId)));
    }

    private static async Task<int> Execute(NpgsqlConnection connection, string sql, Guid eventId)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", eventId);
        return await command.ExecuteNonQueryAsync();
    }
}
