using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Serilog.Core;
using Serilog.Events;

namespace OrleansReminders.Silo.Hosting;

/// <summary>Settings of <see cref="RepeatedLogFilter"/> ("Logs" section).</summary>
public sealed class LogRepeatOptions
{
    public const string SectionName = "Logs";

    /// <summary>
    /// Warnings and errors that repeat within this many seconds (same source, message template, exception type
    /// and HTTP status) are counted instead of written; 0 writes every one.
    /// </summary>
    public double RepeatWindowSeconds { get; set; } = 10;

    public IEnumerable<string> Problems()
    {
        if (RepeatWindowSeconds < 0 || double.IsNaN(RepeatWindowSeconds) || RepeatWindowSeconds > 3600)
        {
            yield return $"{SectionName}:{nameof(RepeatWindowSeconds)}: must be between 0 and 3600 (0 writes every repeat)";
        }
    }
}

/// <summary>
/// Keeps an outage from flooding the log: of the warnings and errors with one source, message template,
/// exception type and HTTP status, the first in each window is written and the others are counted; the next
/// one written carries the count as <c>Suppressed</c> (and as <c>SuppressedNote</c>, the text the readable
/// console line ends with). A PostgreSQL outage made Orleans' reminder service
/// retry its range read every few milliseconds at a scaled clock (its back-off is in business time) and
/// write thousands of identical errors; each silo now writes a few per kind per window. The window runs on
/// real time.
/// </summary>
public sealed class RepeatedLogFilter(IOptions<LogRepeatOptions> options, TimeProvider realTime) : ILogEventFilter
{
    public const string SuppressedProperty = "Suppressed";
    public const string NoteProperty = "SuppressedNote";

    private readonly TimeSpan _window = TimeSpan.FromSeconds(options.Value.RepeatWindowSeconds);
    private readonly ConcurrentDictionary<Kind, Seen> _seen = new();

    public bool IsEnabled(LogEvent logEvent)
    {
        if (logEvent.Level < LogEventLevel.Warning || _window <= TimeSpan.Zero)
        {
            return true;
        }

        var kind = new Kind(
            logEvent.Properties.TryGetValue("SourceContext", out var source) ? source.ToString() : "",
            logEvent.MessageTemplate.Text,
            logEvent.Exception?.GetType().FullName,
            logEvent.Properties.TryGetValue("StatusCode", out var status) ? status.ToString() : null);
        var now = realTime.GetUtcNow();
        var seen = _seen.GetOrAdd(kind, _ => new Seen());
        long suppressed;
        lock (seen)
        {
            if (seen.WrittenAt is { } written && now - written < _window)
            {
                seen.Suppressed++;
                return false;
            }

            suppressed = seen.Suppressed;
            seen.Suppressed = 0;
            seen.WrittenAt = now;
        }

        if (suppressed > 0)
        {
            logEvent.AddOrUpdateProperty(new LogEventProperty(SuppressedProperty, new ScalarValue(suppressed)));
            logEvent.AddOrUpdateProperty(new LogEventProperty(NoteProperty, new ScalarValue($" ({suppressed} similar suppressed)")));
        }

        return true;
    }

    private readonly record struct Kind(string Source, string Template, string? Exception, string? Status);

    private sealed class Seen
    {
        public DateTimeOffset? WrittenAt { get; set; }

        public long Suppressed { get; set; }
    }
}
