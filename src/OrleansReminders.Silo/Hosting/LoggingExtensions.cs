using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Core;
using Serilog.Formatting.Compact;

namespace OrleansReminders.Silo.Hosting;

internal static class LoggingExtensions
{
    internal const string ReadableTemplate =
        "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{" + RepeatedLogFilter.NoteProperty + "}{NewLine}{Exception}";

    /// <summary>
    /// Serilog as the only logging provider. Levels come from the "Serilog" section; the console shows
    /// readable lines in Development and compact JSON (one event per line) everywhere else. Repeated warnings
    /// and errors are counted rather than written (<see cref="RepeatedLogFilter"/>, "Logs" section).
    /// </summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<LogRepeatOptions>(LogRepeatOptions.SectionName).WithRule(o => o.Problems());
        builder.Services.AddSingleton<ILogEventFilter>(sp =>
            new RepeatedLogFilter(sp.GetRequiredService<IOptions<LogRepeatOptions>>(), TimeProvider.System));
        var readable = builder.Environment.IsDevelopment();
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext();
            if (readable)
            {
                logger.WriteTo.Console(outputTemplate: ReadableTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
        });
        return builder;
    }
}
