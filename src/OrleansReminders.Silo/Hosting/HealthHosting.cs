using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Orleans.Runtime;

namespace OrleansReminders.Silo.Hosting;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: this silo is an active member of its
/// cluster and, on PostgreSQL, the database answers within two seconds (else Unhealthy, 503); Degraded (still
/// 200) while a holiday calendar ends within <c>Calendars:WarnDaysBeforeEnd</c> days. Its body is JSON with
/// each check's status and description. Both anonymous (probes carry no key).
/// </summary>
internal static class HealthHosting
{
    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<ClusterMembershipCheck>("cluster", tags: ["ready"])
            .AddCheck<DatabaseCheck>("postgresql", tags: ["ready"])
            .AddCheck<CalendarHosting.CoverageCheck>("calendars", tags: ["ready"]);
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteReportAsync })
            .ExcludeFromDescription();
        return app;
    }

    /// <summary><c>{"status":"Degraded","checks":{"calendars":{"status":"Degraded","description":"…","data":{…}}, …}}</c></summary>
    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return context.Response.WriteAsJsonAsync(body);
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
