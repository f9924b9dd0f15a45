using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Hosting;

/// <summary>Configuration section <c>Dashboard</c>.</summary>
public sealed class DashboardSettings
{
    public const string SectionName = "Dashboard";

    /// <summary>Whether this host runs and serves the Orleans dashboard.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the dashboard is served on this host; its API and assets live below it.</summary>
    public string Path { get; set; } = "/dashboard";

    /// <summary>
    /// How often each silo samples its runtime statistics and the dashboard refreshes the cluster's
    /// counters (Orleans' default is one second; at least one second).
    /// </summary>
    public TimeSpan CounterUpdateInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Path.Length < 2 || Path[0] != '/' || Path[^1] == '/' || Path.Any(c => c is '{' or '}' or '?' or '#' or '*' || char.IsWhiteSpace(c)))
        {
            problems.Add($"{SectionName}:Path: must be a literal path such as /dashboard (a leading slash, no trailing slash, not the root)");
        }

        if (CounterUpdateInterval < TimeSpan.FromSeconds(1) || CounterUpdateInterval > TimeSpan.FromHours(1))
        {
            problems.Add($"{SectionName}:CounterUpdateInterval: must be between 00:00:01 and 01:00:00");
        }

        return problems;
    }
}

/// <summary>
/// The Orleans dashboard (cluster, silo and grain statistics, reminders, grain state) under
/// <c>Dashboard:Path</c> of this host, on by default. Every one of its endpoints (page, assets, data API)
/// needs the ops role: the <c>X-Api-Key</c> header, or from a browser HTTP Basic with the key as password.
/// Per-method grain profiling runs only while someone looks (Orleans stops it a minute after the last
/// query); silos sample their statistics every <c>Dashboard:CounterUpdateInterval</c>. Its log stream
/// page is off: Serilog is the only logging provider, so the dashboard's log provider would see nothing.
/// </summary>
internal static class DashboardHosting
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DashboardSettings>(DashboardSettings.SectionName).WithRule(o => o.Problems());
        // Whether the dashboard exists at all decides what is composed, so it is read here; the rest through the options.
        if (Enabled(builder.Configuration))
        {
            builder.UseOrleans(silo => silo.AddDashboard(options => options.HideTrace = true));
            builder.Services.AddOptions<DashboardOptions>().Configure<IOptions<DashboardSettings>>((options, settings) =>
                options.CounterUpdateIntervalMs = (int)settings.Value.CounterUpdateInterval.TotalMilliseconds);
        }

        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        // Routes are mapped before start-up validation runs, so the path is read as bound, unvalidated; an invalid
        // one is not mapped, and start-up validation then stops the host naming it with every other problem.
        var settings = app.Configuration.GetSection(DashboardSettings.SectionName).Get<DashboardSettings>() ?? new DashboardSettings();
        if (Enabled(app.Configuration) && settings.Problems().Count == 0)
        {
            app.MapOrleansDashboard(settings.Path)
                .RequireAuthorization(ApiSecurityHosting.BrowserOpsPolicy)
                .RequireRateLimiting(ApiSecurityHosting.RateLimitPolicy)
                .ExcludeFromDescription();
        }

        return app;
    }

    private static bool Enabled(IConfiguration configuration) =>
        configuration.GetValue($"{DashboardSettings.SectionName}:{nameof(DashboardSettings.Enabled)}", defaultValue: true);
}
