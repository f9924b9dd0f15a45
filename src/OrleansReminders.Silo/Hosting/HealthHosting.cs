using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Orleans.Runtime;

namespace OrleansReminders.Silo.Hosting;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: this silo is an active member of its
/// cluster and, on PostgreSQL, the database answers within two seconds. Both anonymous (probes carry no key).
/// </summary>
internal static class HealthHosting
{
    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<ClusterMembershipCheck>("cluster", tags: ["ready"])
            .AddCheck<DatabaseCheck>("postgresql", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") }).ExcludeFromDescription();
        return app;
    }

    private sealed class ClusterMembershipCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
            return Task.FromResult(status == SiloStatus.Active
                ? HealthCheckResult.Healthy($"silo {silo.SiloAddress} is active")
                : HealthCheckResult.Unhealthy($"silo {silo.SiloAddress} is {status}"));
        }
    }

    private sealed class DatabaseCheck(IServiceProvider services) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (services.GetService<NpgsqlDataSource>() is not { } dataSource)
            {
                return HealthCheckResult.Healthy("embedded default: no database");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(timeout.Token);
                return HealthCheckResult.Healthy("PostgreSQL answers");
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer: " + ex.GetType().Name);
            }
        }
    }
}
