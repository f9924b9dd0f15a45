using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using NodaTime;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Grains.Diagnostics;
using OrleansReminders.Grains.Time;

namespace OrleansReminders.Silo.Hosting;

/// <summary>One loaded calendar's coverage today: its last covered day (null: by rule, no end) and the days left.</summary>
public sealed record CalendarStatus(string Region, LocalDate? LastDay, int? DaysLeft, bool EndingSoon);

/// <summary>
/// How far the loaded holiday calendars reach from today (the UTC date of the business clock, the clock the
/// borrower grains decide by), and the gauge <c>orleansreminders.calendar.coverage_days_left</c> per region.
/// </summary>
public sealed class CalendarCoverage : IDisposable
{
    public const string GaugeName = "orleansreminders.calendar.coverage_days_left";

    private readonly HolidayCalendarSet _calendars;
    private readonly TimeProvider _clock;
    private readonly Meter _meter;
    private readonly IOptions<CalendarOptions> _options;

    public CalendarCoverage(HolidayCalendarSet calendars, IOptions<CalendarOptions> options, IServiceProvider services, IMeterFactory meters)
    {
        _calendars = calendars;
        // Read when used: hosted services are built before start-up validation, which reports an invalid value.
        _options = options;
        _clock = services.GetKeyedService<TimeProvider>(BusinessClock.Key) ?? services.GetService<TimeProvider>() ?? TimeProvider.System;
        _meter = meters.Create(ServiceMetrics.MeterName);
        _meter.CreateObservableGauge(GaugeName, Measure, "{day}",
            "Days of holiday-calendar coverage left from today, per region (calendars computed by rule have no end and no series)");
    }

    public int WarnDaysBeforeEnd => _options.Value.WarnDaysBeforeEnd;

    public LocalDate Today => LocalDate.FromDateTime(_clock.GetUtcNow().UtcDateTime);

    /// <summary>Every loaded calendar, by region.</summary>
    public IReadOnlyList<CalendarStatus> Report()
    {
        var today = Today;
        return [.. _calendars.Calendars.OrderBy(c => c.Region, StringComparer.Ordinal).Select(c =>
        {
            var left = c.DaysLeft(today);
            return new CalendarStatus(c.Region, c.CoverageEnd, left, left <= WarnDaysBeforeEnd);
        })];
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> Measure() =>
        Report().Where(s => s.DaysLeft is not null)
            .Select(s => new Measurement<int>(s.DaysLeft!.Value, new KeyValuePair<string, object?>("region", s.Region)));
}
