using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Reports;
using OrleansReminders.Grains.Time;
using OrleansReminders.Sms.Simulated;

namespace OrleansReminders.Silo.Demo;

/// <summary>
/// Runs the demo once the service has started: imports the portfolio through the borrower grains, lets the
/// scaled clock run the ladder for the configured business days (progress every few seconds: business day,
/// messages sent, receipts, replies, payments), then prints the funnel per tier, stage and variant. The
/// service keeps running afterwards, so its API can be explored.
/// </summary>
public sealed partial class DemoRunner(
    IOptions<DemoOptions> options,
    IGrainFactory grains,
    [FromKeyedServices(BusinessClock.Key)] TimeProvider clock,
    SimulatedSmsSender provider,
    IHostApplicationLifetime lifetime,
    ILogger<DemoRunner> logger) : BackgroundService
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    /// <summary>The funnel of the finished run (null until then).</summary>
    public IReadOnlyList<FunnelRow>? Report { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var demo = options.Value;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var portfolio = DemoPortfolio.Generate(demo.Borrowers, demo.Seed, today).ToList();
        LogImporting(logger, portfolio.Count, demo.BusinessDays, demo.RealSeconds);
        var imported = 0;
        var rejected = 0;
        await Parallel.ForEachAsync(portfolio, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stoppingToken }, async (b, _) =>
        {
            var result = await grains.GetGrain<IBorrowerGrain>(b.Id).UpsertAsync(b.Upsert);
            Interlocked.Increment(ref result.IsAccepted ? ref imported : ref rejected);
        });
        LogImported(logger, imported, rejected);

        var start = clock.GetUtcNow();
        var end = start.AddDays(demo.BusinessDays);
        while (clock.GetUtcNow() < end)
        {
            await Task.Delay(ProgressEvery, stoppingToken);
            var c = provider.Counters;
            LogProgress(logger, Math.Min(demo.BusinessDays, (clock.GetUtcNow() - start).TotalDays), demo.BusinessDays,
                c.Sent, c.ReceiptsDelivered, c.Replies, c.Payments, c.Throttled + c.Failed);
        }

        var events = new ConcurrentBag<FunnelEvent>();
        await Parallel.ForEachAsync(portfolio, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stoppingToken }, async (b, _) =>
        {
            foreach (var e in (await grains.GetGrain<IBorrowerGrain>(b.Id).GetRecentHistoryAsync()).Events)
            {
                events.Add(new FunnelEvent(e.BorrowerId, e.OccurredAt, e.Kind, e.Stage, e.Data));
            }
        });
        Report = Funnel.Build(events);
        Console.WriteLine(Render(Report, demo, Funnel.ContactedBorrowers(events)));
        LogDone(logger);
    }

    /// <param name="rows">The funnel.</param>
    /// <param name="demo">The run's settings.</param>
    /// <param name="contactedBorrowers">Distinct borrowers sent a collection message, for the total row (a borrower counts in every group that contacted them).</param>
    public static string Render(IReadOnlyList<FunnelRow> rows, DemoOptions demo, int? contactedBorrowers = null)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Funnel after {demo.BusinessDays} business days, {demo.Borrowers:N0} borrowers (last touch: replies, opt-outs and payments credited to the last message before them; conversion = paid / contacted)");
        text.AppendLine("tier     stage  variant       sent  delivered  contacted  replied  opted out   paid  conversion");
        foreach (var r in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{r.Key.Tier,-8} {r.Key.Stage,-6} {r.Key.Variant,-10} {r.Sent,7} {r.Delivered,10} {r.Contacted,10} {r.Replied,8} {r.OptedOut,10} {r.Paid,6} {r.Conversion,11:P1}");
        }

        var contacted = contactedBorrowers ?? rows.Sum(r => r.Contacted);
        var paid = rows.Sum(r => r.Paid);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"all",-8} {"",-6} {"",-10} {rows.Sum(r => r.Sent),7} {rows.Sum(r => r.Delivered),10} {contacted,10} {rows.Sum(r => r.Replied),8} {rows.Sum(r => r.OptedOut),10} {paid,6} {(contacted == 0 ? 0 : (double)paid / contacted),11:P1}");
        return text.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: importing {Borrowers} borrowers, then {Days} business days in about {Seconds} s")]
    private static partial void LogImporting(ILogger logger, int borrowers, int days, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: {Imported} borrowers imported ({Rejected} rejected)")]
    private static partial void LogImported(ILogger logger, int imported, int rejected);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Demo: business day {Day:0.0}/{Days}: {Sent} SMS sent, {Delivered} delivered, {Replies} replies, {Payments} payments, {Problems} throttled/failed")]
    private static partial void LogProgress(ILogger logger, double day, int days, long sent, long delivered, long replies, long payments, long problems);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: done. The service keeps running; the API is at /docs (the temporary key is in the start-up log).")]
    private static partial void LogDone(ILogger logger);
}
