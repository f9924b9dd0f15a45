using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansReminders.Domain.Configuration;
using OrleansReminders.Domain.Policy;

namespace OrleansReminders.Silo.Hosting;

/// <summary>
/// The holiday calendars' coverage at run time: start-up logs each calendar's span and a warning for every
/// calendar that ends within <c>Calendars:WarnDaysBeforeEnd</c> days; <c>/health/ready</c> is then Degraded
/// (not Unhealthy: the service still works, it holds what it cannot check); the gauge counts the days left.
/// </summary>
internal static partial class CalendarHosting
{
    public static WebApplicationBuilder AddCalendarCoverage(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<CalendarOptions>(CalendarOptions.SectionName).WithAnnotations(CalendarOptions.SectionName);
        builder.Services.AddSingleton<CalendarCoverage>();
        builder.Services.AddHostedService<CoverageAnnouncer>();
        return builder;
    }

    /// <summary>"CN ends 2026-12-31 (29 days left)" for every calendar ending soon.</summary>
    public static string Describe(IEnumerable<CalendarStatus> ending) =>
        string.Join("; ", ending.Select(s => $"holiday calendar {s.Region} ends {Day(s.LastDay!.Value)} ({s.DaysLeft} days left)"));

    private static string Day(NodaTime.LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Degraded while any calendar is within its warning period or past its end.</summary>
    internal sealed class CoverageCheck(CalendarCoverage coverage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var report = coverage.Report();
            var data = report.ToDictionary(s => s.Region, s => (object)(s.LastDay is { } end ? Day(end) : "by rule"));
            var ending = report.Where(s => s.EndingSoon).ToList();
            return Task.FromResult(ending.Count > 0
                ? HealthCheckResult.Degraded(
                    $"{Describe(ending)}: collection messages on later dates are held (calendar-not-covered); load newer files into {CalendarLoading.FolderKey}",
                    data: data)
                : HealthCheckResult.Healthy($"every holiday calendar covers at least the next {coverage.WarnDaysBeforeEnd} days", data));
        }
    }

    private sealed partial class CoverageAnnouncer(
        CalendarCoverage coverage, CollectionConfiguration configuration, IConfiguration settings, ILogger<CalendarCoverage> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var folder = settings[CalendarLoading.FolderKey] is { Length: > 0 } configured ? configured : "not set";
            var held = configuration.ContactPolicy.OnUncoveredDate == UncoveredDateAction.Hold;
            foreach (var status in coverage.Report())
            {
                LogCoverage(logger, status.Region, status.LastDay is { } end ? $"to {Day(end)}" : "by rule, no end");
                if (status.EndingSoon)
                {
                    LogEnding(logger, status.Region, Day(status.LastDay!.Value), status.DaysLeft!.Value,
                        held ? "held (calendar-not-covered)" : "sent as on days without holidays (ContactPolicy:OnUncoveredDate is Allow)",
                        CalendarLoading.FolderKey, folder);
                }
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Holiday calendar {Region} covers {Coverage}")]
        private static partial void LogCoverage(ILogger logger, string region, string coverage);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Holiday calendar {Region} ends {LastDay} ({DaysLeft} days left): after that, collection messages to its borrowers are {Effect}. Put a file that covers the next year in {FolderKey} ({Folder}) and restart.")]
        private static partial void LogEnding(ILogger logger, string region, string lastDay, int daysLeft, string effect, string folderKey, string folder);
    }
}
