using OrleansReminders.Silo.Demo;
using OrleansReminders.Silo.Endpoints;
using OrleansReminders.Silo.Security;
using Scalar.AspNetCore;
using Serilog;

namespace OrleansReminders.Silo.Hosting;

/// <summary>The whole service, built the same way by Program.cs and by the host tests.</summary>
internal static class ServiceApp
{
    /// <param name="builder">The host builder, configured.</param>
    /// <param name="replace">Runs after every registration, before the container is built: where tests swap a part for a faulty one.</param>
    public static WebApplication Build(WebApplicationBuilder builder, Action<IServiceCollection>? replace = null)
    {
        builder.AddLogging();
        builder.AddDomainConfiguration();
        builder.AddDemo();
        builder.AddSilo();
        builder.AddDashboard();
        builder.AddMessaging();
        builder.AddApiSecurity();
        builder.AddCalendarCoverage();
        builder.AddHealth();
        builder.AddMetrics();
        builder.AddTracing();
        builder.AddRequestLimits();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => ApiJsonContext.Configure(o.SerializerOptions));
        builder.Services.AddOpenApi(ApiDocument.Configure);

        replace?.Invoke(builder.Services);
        StartupProblems.Install(builder.Services);
        var app = builder.Build();
        app.UseRouting();
        app.UseCorrelation();
        app.UseSerilogRequestLogging();
        app.UseApiErrors();
        app.UseStatusCodePages();
        app.UseRequestBodyLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapGet("/", () => TypedResults.Ok(new { service = "OrleansReminders", openApi = "/openapi/v1.json", reference = "/docs" }))
            .ExcludeFromDescription();
        app.MapHealth();
        app.MapMetrics();
        app.MapDashboard();
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", options => options.WithTitle("OrleansReminders API"));
        app.MapWebhooks();
        app.MapImport().RequireRateLimiting(ApiSecurityHosting.RateLimitPolicy);
        app.MapReports().RequireRateLimiting(ApiSecurityHosting.RateLimitPolicy);
        app.MapSimulated();
        app.MapTemplates().RequireRateLimiting(ApiSecurityHosting.RateLimitPolicy);
        app.MapBorrowers().RequireRateLimiting(ApiSecurityHosting.RateLimitPolicy);
        return app;
    }
}
