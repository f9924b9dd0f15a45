using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrleansReminders.Silo.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace OrleansReminders.Silo.Tests.Logging;

public sealed class RepeatedLogFilterTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-03T08:00:00Z", CultureInfo.InvariantCulture));
    private readonly ConcurrentQueue<LogEvent> _written = new();

    [Fact]
    public void AnErrorRepeatedWithinTheWindowIsCountedAndTheNextOneWrittenCarriesTheCount()
    {
        using var log = Logger(windowSeconds: 10);
        var reminders = log.ForContext(Constants.SourceContextPropertyName, "Orleans.Runtime.ReminderService.LocalReminderService");

        for (var i = 0; i < 500; i++)
        {
            reminders.Error(new InvalidOperationException("Failed to connect"), "Failed to read the reminder table");
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        // 500 errors over 5 s: the first is written, 499 counted.
        Assert.Single(_written);
        _time.Advance(TimeSpan.FromSeconds(6));
        reminders.Error(new InvalidOperationException("Failed to connect"), "Failed to read the reminder table");

        Assert.Equal(2, _written.Count);
        Assert.False(_written.First().Properties.ContainsKey("Suppressed"));
        Assert.Equal("499", _written.Last().Properties["Suppressed"].ToString());
    }

    [Fact]
    public void DifferentSourcesTemplatesExceptionsAndStatusesAreKeptApartAndInformationIsNeverHeldBack()
    {
        using var log = Logger(windowSeconds: 10);
        var storage = log.ForContext(Constants.SourceContextPropertyName, "Orleans.Storage.AdoNetGrainStorage");
        var requests = log.ForContext(Constants.SourceContextPropertyName, "Serilog.AspNetCore.RequestLoggingMiddleware");

        storage.Error(new InvalidOperationException("a"), "Write failed for {GrainId}", "borrower/1");
        storage.Error(new InvalidOperationException("b"), "Write failed for {GrainId}", "borrower/2");
        storage.Error(new TimeoutException("c"), "Write failed for {GrainId}", "borrower/3");
        storage.Error(new InvalidOperationException("d"), "Read failed for {GrainId}", "borrower/4");
        log.ForContext(Constants.SourceContextPropertyName, "OrleansReminders.Other").Error(new InvalidOperationException("e"), "Write failed for {GrainId}", "borrower/5");
        requests.Error("HTTP {RequestMethod} {RequestPath} responded {StatusCode}", "GET", "/borrowers/1", 503);
        requests.Error("HTTP {RequestMethod} {RequestPath} responded {StatusCode}", "GET", "/borrowers/2", 503);
        requests.Error("HTTP {RequestMethod} {RequestPath} responded {StatusCode}", "GET", "/borrowers/3", 500);
        for (var i = 0; i < 3; i++)
        {
            storage.Information("Wrote {GrainId}", i);
        }

        // Suppressed: borrower/2 (same as borrower/1) and the second 503. The 500 after a 503 is written.
        Assert.Equal(
            ["borrower/1", "borrower/3", "borrower/4", "borrower/5", "/borrowers/1", "/borrowers/3", "0", "1", "2"],
            _written.Select(e => (e.Properties.TryGetValue("GrainId", out var g) ? g : e.Properties["RequestPath"]).ToString().Trim('"')));
    }

    [Fact]
    public void AWindowOfZeroWritesEveryRepeatAndAnInvalidWindowIsAStartupProblem()
    {
        using var log = Logger(windowSeconds: 0);
        for (var i = 0; i < 5; i++)
        {
            log.Warning("Same warning");
        }

        Assert.Equal(5, _written.Count);
        Assert.Equal(["Logs:RepeatWindowSeconds: must be between 0 and 3600 (0 writes every repeat)"],
            new LogRepeatOptions { RepeatWindowSeconds = -1 }.Problems());
        Assert.Empty(new LogRepeatOptions().Problems());
    }

    [Fact]
    public void TheReadableConsoleLineSaysHowManyRepeatsWereSuppressed()
    {
        using var log = Logger(windowSeconds: 10);
        log.Error("Same error");
        log.Error("Same error");
        log.Error("Same error");
        _time.Advance(TimeSpan.FromSeconds(11));
        log.Error("Same error");

        var formatter = new MessageTemplateTextFormatter(LoggingExtensions.ReadableTemplate, CultureInfo.InvariantCulture);
        var lines = _written.Select(e =>
        {
            using var text = new StringWriter(CultureInfo.InvariantCulture);
            formatter.Format(e, text);
            return text.ToString().TrimEnd();
        }).ToList();
        Assert.EndsWith("Same error", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("Same error (2 similar suppressed)", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServiceWritesARepeatedErrorOnce()
    {
        await using var host = await ServiceHost.StartAsync(new Dictionary<string, string?>(),
            builder => builder.Services.AddSingleton<ILogEventSink>(new Sink(_written)));
        var logger = host.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansReminders.Tests.Flood");

        for (var i = 0; i < 50; i++)
        {
            logger.LogError(new InvalidOperationException("down"), "The table could not be read");
        }

        Assert.Single(_written, e => e.MessageTemplate.Text == "The table could not be read");
    }

    private Logger Logger(double windowSeconds) => new LoggerConfiguration()
        .MinimumLevel.Verbose()
        .Filter.With(new RepeatedLogFilter(Options.Create(new LogRepeatOptions { RepeatWindowSeconds = windowSeconds }), _time))
        .WriteTo.Sink(new Sink(_written))
        .CreateLogger();

    private sealed class Sink(ConcurrentQueue<LogEvent> events) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
    }
}
