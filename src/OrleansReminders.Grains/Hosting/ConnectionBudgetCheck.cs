using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrleansReminders.Grains.Hosting;

/// <summary>
/// At start-up, compares what the cluster's pools may open with what the server allows: each silo's pool
/// (<see cref="ClusterSettings.DerivedPoolSize"/>, or Maximum Pool Size from the connection string) times the
/// silos (the expected count, or the other active silos plus this one when more are running) against
/// <c>max_connections − superuser_reserved_connections</c>. Over the limit it warns, naming the settings; a
/// failed check is a warning too, never a failed start.
/// </summary>
public sealed partial class ConnectionBudgetCheck(NpgsqlDataSource pool, ClusterSettings settings, ILocalSiloDetails local, ILogger<ConnectionBudgetCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var poolSize = new NpgsqlConnectionStringBuilder(pool.ConnectionString).MaxPoolSize;
        try
        {
            await using var command = pool.CreateCommand(
                """
                SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int,
                       (SELECT count(*)::int FROM orleans_membership
                         WHERE deployment_id = $1 AND status = 3 AND NOT (port = $2 AND generation = $3))
                """);
            command.Parameters.AddWithValue(settings.ClusterId);
            command.Parameters.AddWithValue(local.SiloAddress.Endpoint.Port);
            command.Parameters.AddWithValue(local.SiloAddress.Generation);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var (available, active) = (reader.GetInt32(0), reader.GetInt32(1));
            var silos = Math.Max(settings.ExpectedSilos, active + 1);
            if (Exceeds(silos, poolSize, available))
            {
                LogOverBudget(logger, silos, poolSize, silos * poolSize, available);
            }
            else
            {
                LogWithinBudget(logger, poolSize, silos, available);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            LogCheckFailed(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether <paramref name="silos"/> pools of <paramref name="poolSize"/> can open more than <paramref name="available"/> connections.</summary>
    public static bool Exceeds(int silos, int poolSize, int available) => (long)silos * poolSize > available;

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL connection budget: {Silos} silos × a pool of {PoolSize} can open {Total} connections, more than the server's {Available} (max_connections − superuser_reserved_connections). Lower Cluster:ConnectionBudget or Maximum Pool Size, set Cluster:ExpectedSilos to the real count, or raise max_connections.")]
    private static partial void LogOverBudget(ILogger logger, int silos, int poolSize, int total, int available);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL connection budget: a pool of {PoolSize} per silo, {Silos} silos within the server's {Available} connections")]
    private static partial void LogWithinBudget(ILogger logger, int poolSize, int silos, int available);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL connection budget could not be checked")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
