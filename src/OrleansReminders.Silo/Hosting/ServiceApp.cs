using OrleansReminders.Silo.Endpoints;
using OrleansReminders.Silo.Security;
using Serilog;

namespace OrleansReminders.Silo.Hosting;

/// <summary>The whole service, built the same way by Program.cs and by the host tests.</summary>
internal static class ServiceApp
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddLogging();
        builder.AddDomainConfiguration();
        builder.AddSilo();
        builder.AddMessaging();
        builder.AddApiSecurity();
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        app.UseSerilogRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapGet("/", () => TypedResults.Ok(new { service = "OrleansReminders" }));
        app.MapWebhooks();
        app.MapBorrowers().RequireRateLimiting(ApiSecurityHosting.RateLimitPolicy);
        return app;
    }
}
