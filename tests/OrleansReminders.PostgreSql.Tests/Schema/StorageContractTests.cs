using Npgsql;
using OrleansReminders.PostgreSql.Tests.Infrastructure;

namespace OrleansReminders.PostgreSql.Tests.Schema;

/// <summary>
/// The optimistic-concurrency contract the grain-storage provider relies on, exercised on the stored
/// query texts themselves with the provider's parameter names.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class StorageContractTests
{
    [Fact]
    public async Task FirstWriteCreatesVersionOneAndASecondFirstWriteConflicts()
    {
        var key = Guid.NewGuid().ToString("N");

        Assert.Equal(1, await Write(key, expectedVersion: null));
        Assert.Null(await Write(key, expectedVersion: null));
    }

    [Fact]
    public async Task WriteWithTheCurrentVersionBumpsItAndAStaleVersionConflicts()
    {
        var key = Guid.NewGuid().ToString("N");
        await Write(key, expectedVersion: null);

        Assert.Equal(2, await Write(key, expectedVersion: 1));
        Assert.Null(await Write(key, expectedVersion: 1));
        Assert.Equal(3, await Write(key, expectedVersion: 2));
    }

    [Fact]
    public async Task ReadReturnsTheLastPayloadAndVersion()
    {
        var key = Guid.NewGuid().ToString("N");
        await Write(key, expectedVersion: null, payload: "first"u8.ToArray());
        await Write(key, expectedVersion: 1, payload: "second"u8.ToArray());

        await using var connection = await TestDatabase.OpenAsync();
        await using var command = await StoredQuery(connection, "ReadFromStorageKey", key, null);
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.Equal("second"u8.ToArray(), (byte[])reader["PayloadBinary"]);
        Assert.Equal(2, reader.GetInt32(reader.GetOrdinal("Version")));
        Assert.False(await reader.ReadAsync());
    }

    private static async Task<int?> Write(string key, int? expectedVersion, byte[]? payload = null)
    {
        await using var connection = await TestDatabase.OpenAsync();
        await using var command = await StoredQuery(connection, "WriteToStorageKey", key, expectedVersion);
        command.Parameters.Add(new NpgsqlParameter("PayloadBinary", System.Data.DbType.Binary) { Value = payload ?? "{}"u8.ToArray() });
        var result = await command.ExecuteScalarAsync();
        return result is DBNull or null ? null : Convert.ToInt32(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<NpgsqlCommand> StoredQuery(NpgsqlConnection connection, string queryKey, string key, int? version)
    {
        await using var lookup = new NpgsqlCommand("SELECT querytext FROM orleansquery WHERE querykey = @k", connection);
        lookup.Parameters.AddWithValue("k", queryKey);
        var text = (string)(await lookup.ExecuteScalarAsync())!;

        var command = new NpgsqlCommand(text, connection);
        command.Parameters.Add(new NpgsqlParameter("ServiceId", System.Data.DbType.String) { Value = "contract-test" });
        command.Parameters.Add(new NpgsqlParameter("GrainTypeString", System.Data.DbType.String) { Value = "ContractGrain" });
        command.Parameters.Add(new NpgsqlParameter("GrainIdN0", System.Data.DbType.Int64) { Value = 0L });
        command.Parameters.Add(new NpgsqlParameter("GrainIdN1", System.Data.DbType.Int64) { Value = 0L });
        command.Parameters.Add(new NpgsqlParameter("GrainIdExtensionString", System.Data.DbType.String) { Value = key });
        command.Parameters.Add(new NpgsqlParameter("GrainTypeHash", System.Data.DbType.Int32) { Value = 7 });
        command.Parameters.Add(new NpgsqlParameter("GrainIdHash", System.Data.DbType.Int32) { Value = 11 });
        command.Parameters.Add(new NpgsqlParameter("GrainStateVersion", System.Data.DbType.Int32) { Value = (object?)version ?? DBNull.Value });
        return command;
    }
}
