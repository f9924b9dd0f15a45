using System.Globalization;

namespace OrleansReminders.Silo.Demo;

internal static class DemoHosting
{
    /// <summary>
    /// With <c>Demo:Enabled</c>: validates the demo settings, sets the time scale (unless configured) so the
    /// business days take about the real seconds asked for, raises the default send rate to what a
    /// portfolio at that scale needs, and runs <see cref="DemoRunner"/>, which returns business time to real time
    /// when the run is over. Must run before the silo is added.
    /// </summary>
    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        var demo = builder.Configuration.GetSection(DemoOptions.SectionName).Get<DemoOptions>() ?? new DemoOptions();
        if (!demo.Enabled)
        {
            return builder;
        }

        if (demo.Problems() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }

        var defaults = new Dictionary<string, string?>();
        if (builder.Configuration["Cluster:TimeScale"] is null)
        {
            defaults["Cluster:TimeScale"] = (demo.BusinessDays * 86_400.0 / demo.RealSeconds).ToString(CultureInfo.InvariantCulture);
        }

        if (builder.Configuration["Dispatch:RatePerSecond"] is null)
        {
            defaults["Dispatch:RatePerSecond"] = "1000";
        }

        // Configured values win: the defaults go first, everything already added is re-added on top.
        var sources = builder.Configuration.Sources.ToList();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(defaults);
        foreach (var source in sources)
        {
            builder.Configuration.Sources.Add(source);
        }

        builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection(DemoOptions.SectionName));
        builder.Services.AddSingleton<DemoEnvironment>();
        builder.Services.AddSingleton<DemoRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoRunner>());
        return builder;
    }
}
