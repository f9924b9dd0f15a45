using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Domain.Configuration;
using OrleansReminders.Benchmarks.Memory;
using OrleansReminders.Grains.Messaging;
using OrleansReminders.Grains.Time;

namespace OrleansReminders.Benchmarks.Transitions;

/// <summary>
/// (c) The borrower grain itself. A benchmark strategy has one SMS step every day for 90 days and a
/// contact policy without caps or gaps, so each wake on a new business day is one ladder step: plan,
/// message recorded in the outbox with the ladder's move, next action scheduled, state written once,
/// message handed to a dispatcher that accepts it and keeps nothing, history events flushed to contact_events. The
/// business clock is set by the driver (day = step number / keys); reminders run on real time and
/// do not fire during the run, so every transition is one the driver asked for.
/// </summary>
/// <remarks>
/// With <c>acknowledged</c> (scenario "(c+ack)") the dispatcher holds each message as the pool does and the
/// driver then reports the provider's acceptance to the borrower, as a dispatcher does: the cost of the
/// acknowledgement (one more grain call and state write per message) on top of (c).
/// </remarks>
public sealed class BorrowerGrainScenario(bool acknowledged = false) : ITransitionScenario
{
    /// <summary>
    /// 11:00 in New York on 4 July 2026. The 64 days after it have no US public holiday (the next is Labor Day,
    /// 7 September), so a step never falls on a day the contact policy holds: every one is a ladder step.
    /// </summary>
    private static readonly DateTimeOffset Day0 = new(2026, 7, 4, 15, 0, 0, TimeSpan.Zero);

    /// <summary>Business days a run can step through before the first holiday after <see cref="Day0"/>.</summary>
    public const int HolidayFreeDays = 64;

    private readonly SettableClock _clock = new(Day0);
    private IHost? _host;
    private IGrainFactory? _grains;
    private NpgsqlDataSource? _dataSource;
    private string _serviceId = "";
    private int _keys;
    private IBorrowerGrain[] _borrowers = [];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, OutboundMessage>? _held = acknowledged ? new(StringComparer.Ordinal) : null;

    public string Name => acknowledged ? "(c+ack) borrower grain, acceptance reported" : "(c) borrower grain (ladder step)";

    public async Task SetupAsync(TransitionSettings settings, CancellationToken cancellationToken)
    {
        var cluster = BenchSilo.Settings(settings.RunId + (acknowledged ? "-ca" : "-c"), settings.ConnectionString);
        _serviceId = cluster.ServiceId;
        _keys = settings.Keys;
        _dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
        _host = await BenchSilo.StartAsync(cluster, cancellationToken, silo =>
        {
            silo.Services.AddKeyedSingleton<TimeProvider>(BusinessClock.Key, _clock);
            silo.Services.AddSingleton(CollectionConfiguration.Parse(DailyStrategy()));
            // Messages are accepted and forgotten: the recording dispatcher of the tests would keep every one
            // of them in memory for the whole run.
            silo.Services.AddSingleton<IMessageDispatcher>(new DiscardingSinks { Held = _held });
        });
        _grains = _host.Grains();
        // References are made once, so the timed steps measure the grain, not the driver resolving its interface.
        _borrowers = [.. Enumerable.Range(0, settings.Keys).Select(n => _grains.GetGrain<IBorrowerGrain>($"{_serviceId}-{n:D7}"))];
        var due = DateOnly.FromDateTime(Day0.UtcDateTime);
        await TransitionDriver.ForEachAsync(settings.Keys, settings.Concurrency, async i =>
        {
            var result = await Borrower(i).UpsertAsync(new BorrowerUpsert("+12015550123", "en-US", ["America/New_York"], "US",
                [new DebtInput("loan", 500m, "USD", due)]));
            if (!result.IsAccepted)
            {
                throw new InvalidOperationException("benchmark borrower rejected: " + string.Join("; ", result.Problems));
            }
        }, cancellationToken);
    }

    public async Task StepAsync(int worker, long i)
    {
        _clock.MoveTo(Day0.AddDays(1 + (i / _keys)));
        var borrower = Borrower(i % _keys);
        await borrower.WakeAsync();
        if (_held is not null && _held.TryRemove(borrower.GetPrimaryKeyString(), out var message))
        {
            await borrower.ReportSendAsync(new SendReport(message.MessageKey, message.Offer, SendReportKind.Accepted));
        }
    }

    public async Task<string> CheckAsync(long completedSteps)
    {
        var stateWrites = await ScalarAsync<long>("SELECT coalesce(sum(version), 0)::bigint - count(*) FROM orleans_storage WHERE service_id = $1");
        var reminderWrites = await ScalarAsync<long>("SELECT coalesce(sum(version + 1), 0)::bigint FROM orleans_reminders WHERE service_id = $1");
        var stateBytes = await ScalarAsync<decimal>("SELECT coalesce(avg(octet_length(payload)), 0) FROM orleans_storage WHERE service_id = $1");
        var messages = await ScalarAsync<long>(
            "SELECT count(*) FROM contact_events WHERE borrower_id LIKE $1 || '%' AND kind = 'message.sent'", _serviceId);
        return $"orleans_storage: {stateWrites:N0} state writes after set-up; orleans_reminders: {reminderWrites:N0} reminder upserts in all " +
            $"(set-up included); contact_events: {messages:N0} messages sent (driver completed {completedSteps:N0}); state {stateBytes:N0} bytes on average";
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            _host = null;
        }

        if (_dataSource is not null)
        {
            await BenchSilo.DeleteServiceAsync(_dataSource, _serviceId);
            await _dataSource.DisposeAsync();
            _dataSource = null;
        }
    }

    private IBorrowerGrain Borrower(long n) => _borrowers[n];

    private async Task<T> ScalarAsync<T>(string sql, string? parameter = null)
    {
        await using var command = _dataSource!.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = parameter ?? _serviceId });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>One SMS a day for 90 days in every tier; caps and gaps off, so each new day is one step.</summary>
    private static string DailyStrategy()
    {
        var steps = string.Join(",", Enumerable.Range(1, 90).Select(d =>
            string.Create(CultureInfo.InvariantCulture, $$"""{ "offsetDays": {{d}}, "channel": "sms", "templateKey": "bench.daily" }""")));
        var tier = $$"""{ "steps": [{{steps}}] }""";
        var json = new StringBuilder();
        json.Append($$"""
            {
              "newCustomerBufferDays": 0,
              "unansweredEscalation": { "threshold": 3, "escalateWhenLadderExhausted": false,
                "steps": [ { "channel": "call", "templateKey": "call", "daysAfterPrevious": 1 } ] },
              "tiers": { "low": {{tier}}, "medium": {{tier}}, "high": {{tier}} },
              "contactPolicy": {
                "enforcePreferredWindow": false,
                "minimumGapAnyChannel": "00:00:00",
                "channels": { "sms": { "perDay": null, "perCalendarWeek": null, "rolling7Days": null, "minimumGap": "00:00:00" } }
              }
            }
            """);
        return json.ToString();
    }

    /// <summary>A business clock the driver moves forward; it never goes back.</summary>
    private sealed class SettableClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks = start.UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public void MoveTo(DateTimeOffset at)
        {
            var target = at.UtcTicks;
            long seen;
            while ((seen = Interlocked.Read(ref _ticks)) < target && Interlocked.CompareExchange(ref _ticks, target, seen) != seen)
            {
            }
        }
    }
}
