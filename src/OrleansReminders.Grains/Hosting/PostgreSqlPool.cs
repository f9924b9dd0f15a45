using System.Data.Common;
using Npgsql;

namespace OrleansReminders.Grains.Hosting;

/// <summary>
/// The silo's one PostgreSQL pool. The Orleans ADO.NET providers send the same few statements (from the
/// OrleansQuery table) over and over; without preparation PostgreSQL parses and plans each of them on every
/// call, which made a state write cost several times a plain upsert in the database (tests/BENCHMARKS.md).
/// </summary>
public static class PostgreSqlPool
{
    /// <summary>Prepared statements kept per connection when the connection string does not say.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// The connection string the silo uses: the operator's, plus <c>Max Auto Prepare</c> (statements used
    /// repeatedly are prepared once per connection) and <c>No Reset On Close</c> (no reset round trip each
    /// time a connection goes back to the pool: the providers leave no session state behind), each only
    /// when the operator's string does not set it.
    /// </summary>
    public static string WithSiloDefaults(string connectionString, int? poolSize = null)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Sets(given, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!Sets(given, "No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (poolSize is { } size && !SetsPoolSize(connectionString))
        {
            builder.MaxPoolSize = size;
        }

        return builder.ConnectionString;
    }

    /// <summary>The silo's data source; <paramref name="poolSize"/> applies when the connection string sets none.</summary>
    public static NpgsqlDataSource Create(string connectionString, int? poolSize = null) => NpgsqlDataSource.Create(WithSiloDefaults(connectionString, poolSize));

    /// <summary>Whether the operator's connection string sets the pool size itself.</summary>
    public static bool SetsPoolSize(string connectionString) =>
        Sets(new DbConnectionStringBuilder { ConnectionString = connectionString }, "Maximum Pool Size", "Max Pool Size", "MaxPoolSize");

    private static bool Sets(DbConnectionStringBuilder given, params string[] names) =>
        given.Keys.Cast<string>().Any(key => names.Any(name => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), name.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)));
}
