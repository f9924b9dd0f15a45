using System.Globalization;
using OrleansReminders.Silo.Hosting;

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
        // Whether the demo runs, and its scale, decide what is composed, so they are read here; invalid values
        // stop start-up through the options' validation (one line per problem) and set no defaults.
        var demo = builder.Configuration.GetSection(DemoOptions.SectionName).Get<DemoOptions>() ?? new DemoOptions();
        if (!demo.Enabled)
        {
            return builder;
        }

        builder.Services.AddValidatedOptions<DemoOptions>(DemoOptions.SectionName).WithRule(o => o.Problems());
        if (demo.Problems().Count > 0)
        {
            return builder;
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

        builder.Services.AddSingleton<DemoEnvironment>();
        builder.Services.AddSingleton<DemoRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoRunner>());
        return builder;
    }
}
