using Npgsql;
using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Grains.Time;

/// <summary>
/// The business clock's shared origin on PostgreSQL (<c>deploy/sql/120_service_clock.sql</c>): the first silo of
/// a service stores the real instant it started at for its time scale; every silo then reckons business time
/// from that origin, so a silo that starts later agrees with the others.
/// </summary>
public static class ServiceClock
{
    /// <summary>The stored origin for the service and scale, storing now when there is none.</summary>
    public static DateTimeOffset Origin(ClusterSettings settings)
    {
        try
        {
            using var connection = new NpgsqlConnection(settings.PostgreSql);
            connection.Open();
            using var command = new NpgsqlCommand(
                """
                INSERT INTO service_clock (service_id, scale, origin) VALUES (@service, @scale, now())
                ON CONFLICT (service_id, scale) DO NOTHING;
                SELECT origin FROM service_clock WHERE service_id = @service AND scale = @scale;
                """, connection);
            command.Parameters.AddWithValue("service", settings.ServiceId);
            command.Parameters.AddWithValue("scale", settings.TimeScale);
            return new DateTimeOffset((DateTime)command.ExecuteScalar()!, TimeSpan.Zero);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            throw new InvalidOperationException("Cluster:TimeScale > 1 on PostgreSQL needs the table service_clock: apply deploy/sql (120_service_clock.sql), or set Cluster:TimeScaleOrigin.", ex);
        }
    }

    /// <summary>Business time at real instant <paramref name="realNow"/> for a clock that equals real time at <paramref name="origin"/>.</summary>
    public static DateTimeOffset BusinessAt(DateTimeOffset origin, DateTimeOffset realNow, double scale) =>
        origin + TimeSpan.FromTicks((long)((realNow - origin).Ticks * scale));
}
