using OpenTelemetry.Metrics;
using OrleansReminders.Grains.Diagnostics;

namespace OrleansReminders.Silo.Hosting;

/// <summary>
/// OpenTelemetry metrics on a Prometheus endpoint (<c>/metrics</c>): the service's meter (messages by
/// outcome, policy deferrals by rule, dispatcher queue depth, send rate per account), Orleans' own meter
/// (reminder tardiness = reminder lag, grain and messaging counters) and ASP.NET Core request metrics.
/// The endpoint takes no key, as scrapers expect; its series carry no personal data.
/// </summary>
internal static class MetricsHosting
{
    public static WebApplicationBuilder AddMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServiceMetrics.MeterName, "Microsoft.Orleans")
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
