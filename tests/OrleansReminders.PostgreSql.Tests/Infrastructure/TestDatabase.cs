using Npgsql;

namespace OrleansReminders.PostgreSql.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL database tests/run.sh provisions (ORLEANSREMINDERS_PG). These tests exist to prove
/// behaviour on the real database, so a missing connection string is a failure, never a skip.
/// </summary>
public static class TestDatabase
{
    public const string Variable = "ORLEANSREMINDERS_PG";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. Run the suite with `bash tests/run.sh` (it starts a throwaway PostgreSQL and applies deploy/sql), or set {Variable} to an Npgsql connection string of a database with deploy/sql applied.");

    public static async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public static async Task<T> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var result = await command.ExecuteScalarAsync();
        return (T)result!;
    }

    /// <summary>The repository's deploy/sql folder, found from the test's working directory upwards.</summary>
    public static string SqlFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "deploy", "sql");
                if (File.Exists(Path.Combine(candidate, "apply.sh")))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException("deploy/sql not found above " + AppContext.BaseDirectory);
        }
    }
}
