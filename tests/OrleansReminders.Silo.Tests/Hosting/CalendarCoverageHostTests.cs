using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Grains.Time;
using Serilog.Core;
using Serilog.Events;

namespace OrleansReminders.Silo.Tests.Hosting;

/// <summary>
/// One service on a business clock fixed at 2026-11-20, with an operator's folder holding a CN file that
/// extends the shipped CN calendar to 2027. The shipped IN calendar still ends on 2026-12-31, 42 days ahead:
/// inside the 60-day warning period, so start-up warns and readiness is Degraded naming IN.
/// </summary>
public sealed class CalendarCoverageHostTests(CalendarCoverageHostTests.Fixture fixture) : IClassFixture<CalendarCoverageHostTests.Fixture>
{
    [Fact]
    public async Task ReadinessIsDegradedNotUnhealthyAndNamesTheCalendarAndItsEnd()
    {
        var response = await fixture.Host.Http.GetAsync(new Uri(fixture.Host.BaseAddress, "/health/ready"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var calendars = body.RootElement.GetProperty("checks").GetProperty("calendars");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Degraded", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Degraded", calendars.GetProperty("status").GetString());
        var description = calendars.GetProperty("description").GetString();
        Assert.Contains("holiday calendar IN ends 2026-12-31 (42 days left)", description, StringComparison.Ordinal);
        Assert.DoesNotContain("CN ends", description, StringComparison.Ordinal);
        Assert.Equal("2027-12-31", calendars.GetProperty("data").GetProperty("CN").GetString());
        Assert.Equal("by rule", calendars.GetProperty("data").GetProperty("US").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("cluster").GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheGaugeCountsTheDaysOfCoverageLeftPerRegion()
    {
        var metrics = await fixture.Host.Http.GetStringAsync(new Uri(fixture.Host.BaseAddress, "/metrics"));
        var lines = metrics.Split('\n').Where(l => l.StartsWith("orleansreminders_calendar_coverage_days_left{", StringComparison.Ordinal)).ToList();

        Assert.Equal(42, Value(lines, "IN"));
        Assert.Equal(407, Value(lines, "CN")); // 2026-11-20 through 2027-12-31
        Assert.DoesNotContain(lines, l => l.Contains("region=\"US\"", StringComparison.Ordinal)); // by rule: no end
    }

    [Fact]
    public void StartUpWarnsAboutTheCalendarThatEndsSoon()
    {
        var warnings = fixture.Logs.Where(e => e.Level == LogEventLevel.Warning).Select(e => e.Text).ToList();

        Assert.Contains(warnings, w => w.Contains("Holiday calendar IN ends 2026-12-31 (42 days left)", StringComparison.Ordinal)
            && w.Contains("held (calendar-not-covered)", StringComparison.Ordinal)
            && w.Contains("Calendars:Folder", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("Holiday calendar CN", StringComparison.Ordinal));
        Assert.Contains(fixture.Logs, e => e.Text.Contains("Holiday calendar CN covers to 2027-12-31", StringComparison.Ordinal));
    }

    [Fact]
    public void TheFolderFileExtendsTheOneCalendarSetThePolicyUses()
    {
        var services = fixture.Host.App.Services;
        var calendars = Assert.Single(services.GetServices<HolidayCalendarSet>());
        var china = calendars.For("CN")!;
        var policy = services.GetRequiredService<ContactPolicy>();
        var profile = new ContactProfile { TimeZoneIds = ["Asia/Shanghai"], Region = "CN" };

        Assert.Equal(new LocalDate(2027, 12, 31), china.CoverageEnd);
        Assert.Contains("Spring Festival", china.HolidayName(new LocalDate(2026, 2, 16)));
        Assert.Equal(PolicyReason.Holiday, policy.Evaluate(profile, [], Proposal("2027-01-04T10:00")).Reason);
        Assert.True(policy.Evaluate(profile, [], Proposal("2027-01-05T10:00")).Allowed);
        Assert.Equal(PolicyReason.CalendarNotCovered, policy.Evaluate(profile, [], Proposal("2028-01-05T10:00")).Reason);
    }

    private static ContactProposal Proposal(string shanghaiLocal) => new(
        NodaTime.Text.LocalDateTimePattern.GeneralIso.Parse(shanghaiLocal + ":00").GetValueOrThrow()
            .InZoneStrictly(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).ToInstant(), Channel.Sms);

    private static double Value(IEnumerable<string> lines, string region)
    {
        var line = Assert.Single(lines, l => l.Contains($"region=\"{region}\"", StringComparison.Ordinal));
        return double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public static readonly DateTimeOffset Today = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

        private readonly string _folder = Directory.CreateTempSubdirectory("orleansreminders-calendars-").FullName;
        private readonly CapturingSink _sink = new();

        internal ServiceHost Host { get; private set; } = null!;

        public IReadOnlyList<(LogEventLevel Level, string Text)> Logs => [.. _sink.Events];

        public async Task InitializeAsync()
        {
            // Test data, not a real notice: it only has to extend CN to 2027 with one recognisable day.
            await File.WriteAllTextAsync(Path.Combine(_folder, "holidays.CN.json"), """
                { "region": "CN", "years": [2027], "source": "test fixture",
                  "holidays": [ { "name": "Test holiday", "date": "2027-01-04" } ] }
                """);
            Host = await ServiceHost.StartAsync(
                new Dictionary<string, string?> { ["Calendars:Folder"] = _folder },
                builder =>
                {
                    builder.Services.AddKeyedSingleton<TimeProvider>(BusinessClock.Key, new FixedClock(Today));
                    builder.Services.AddSingleton<ILogEventSink>(_sink);
                });
        }

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Rendered messages without Serilog's quotes around string values.</summary>
    private sealed class CapturingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<(LogEventLevel, string)> _events = new();

        public IEnumerable<(LogEventLevel Level, string Text)> Events => _events;

        public void Emit(LogEvent logEvent) =>
            _events.Enqueue((logEvent.Level, logEvent.RenderMessage(CultureInfo.InvariantCulture).Replace("\"", "", StringComparison.Ordinal)));
    }
}
