using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Configuration;
using OrleansReminders.Domain.Reports;
using OrleansReminders.Grains.History;
using OrleansReminders.Grains.Time;
using OrleansReminders.Silo.Endpoints;
using OrleansReminders.Sms.Simulated;

namespace OrleansReminders.Silo.Demo;

/// <summary>
/// Runs the demo once the service has started: imports the portfolio through the borrower grains (at real time),
/// lets the scaled clock run the ladder for the configured business days, with a progress line every few seconds,
/// then returns business time to real time, prints the funnel per tier, stage and variant with its legend,
/// and says what the service does next. Progress and report are both <see cref="Funnel"/> over the demo
/// borrowers' stored history, so they count the same messages. The service keeps running afterwards.
/// </summary>
public sealed partial class DemoRunner(
    IOptions<DemoOptions> options,
    IGrainFactory grains,
    [FromKeyedServices(BusinessClock.Key)] TimeProvider clock,
    IContactEventStore history,
    CollectionConfiguration configuration,
    SimulatedSmsSender provider,
    DemoEnvironment environment,
    IHostApplicationLifetime lifetime,
    ILogger<DemoRunner> logger,
    ScaledTimeProvider? scaledClock = null) : BackgroundService
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);
    private readonly TaskCompletionSource<DemoResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<DemoProgress> _progress = new();

    /// <summary>The funnel of the finished run (null until then).</summary>
    public IReadOnlyList<FunnelRow>? Report { get; private set; }

    /// <summary>Every progress line so far, the last one being the report's total.</summary>
    public IReadOnlyList<DemoProgress> Progress => [.. _progress];

    /// <summary>Completes with the run's result once the report is printed.</summary>
    public Task<DemoResult> Completion => _completion.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            _completion.TrySetResult(await RunAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _completion.TrySetCanceled(stoppingToken);
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
            throw;
        }
    }

    private async Task<DemoResult> RunAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var demo = options.Value;
        var real = Stopwatch.StartNew();
        var demoScale = scaledClock?.Scale ?? 1;

        // The import takes real seconds however fast the clock runs: no business days pass meanwhile.
        scaledClock?.ChangeScale(1);
        var from = clock.GetUtcNow();
        var portfolio = DemoPortfolio.Generate(demo.Borrowers, demo.Seed, DateOnly.FromDateTime(from.UtcDateTime)).ToList();
        var ids = portfolio.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        await ImportAsync(portfolio, demo, stoppingToken);
        scaledClock?.ChangeScale(demoScale);
        await RunLadderAsync(ids, from, demo, stoppingToken);

        // Business time goes on at real time from here, so the service behaves as documented afterwards.
        scaledClock?.ChangeScale(1);
        var realTimeFrom = clock.GetUtcNow();
        var events = await ReadAsync(ids, from, stoppingToken);
        var (rows, total) = (Funnel.Build(events), Funnel.Total(events));
        ShowProgress(total, demo.BusinessDays, demo.BusinessDays);
        var report = DemoReport.Render(rows, total, demo, configuration.Strategy);
        var next = DemoReport.NextSteps(new DemoEnding(demo, real.Elapsed, realTimeFrom, from, await StatusesAsync(ids, stoppingToken), environment));
        Console.WriteLine(report);
        Console.WriteLine(next);
        LogDone(logger, environment.ApiAddress);
        Report = rows;
        return new DemoResult(rows, total, Progress, report, next, realTimeFrom);
    }

    /// <summary>Lets the scaled clock run the business days, with a progress line every <see cref="ProgressEvery"/> until the last day.</summary>
    private async Task RunLadderAsync(HashSet<string> ids, DateTimeOffset from, DemoOptions demo, CancellationToken stoppingToken)
    {
        var start = clock.GetUtcNow();
        var end = start.AddDays(demo.BusinessDays);
        while (clock.GetUtcNow() < end)
        {
            var untilEnd = end - clock.GetUtcNow();
            var realUntilEnd = (scaledClock?.ToReal(untilEnd) ?? untilEnd) + TimeSpan.FromMilliseconds(20);
            await Task.Delay(realUntilEnd < ProgressEvery ? realUntilEnd : ProgressEvery, stoppingToken);
            if (clock.GetUtcNow() < end)
            {
                ShowProgress(Funnel.Total(await ReadAsync(ids, from, stoppingToken)), (clock.GetUtcNow() - start).TotalDays, demo.BusinessDays);
            }
        }
    }

    private async Task<IReadOnlyCollection<BorrowerStatus>> StatusesAsync(HashSet<string> ids, CancellationToken stoppingToken)
    {
        var statuses = new ConcurrentBag<BorrowerStatus>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stoppingToken }, async (id, _) =>
        {
            if (await grains.GetGrain<IBorrowerGrain>(id).GetStatusAsync() is { } status)
            {
                statuses.Add(status);
            }
        });
        return statuses;
    }

    private async Task ImportAsync(List<(string Id, BorrowerUpsert Upsert)> portfolio, DemoOptions demo, CancellationToken stoppingToken)
    {
        LogImporting(logger, portfolio.Count, demo.BusinessDays, demo.RealSeconds);
        var imported = 0;
        var rejected = 0;
        await Parallel.ForEachAsync(portfolio, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stoppingToken }, async (b, _) =>
        {
            var result = await grains.GetGrain<IBorrowerGrain>(b.Id).UpsertAsync(b.Upsert);
            Interlocked.Increment(ref result.IsAccepted ? ref imported : ref rejected);
        });
        LogImported(logger, imported, rejected);
    }

    /// <summary>The demo borrowers' stored history since the demo began, as the funnel reads it.</summary>
    private async Task<List<FunnelEvent>> ReadAsync(HashSet<string> ids, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var events = new List<FunnelEvent>();
        await foreach (var e in history.ReadPeriodAsync(from, clock.GetUtcNow().AddSeconds(1), int.MaxValue, cancellationToken))
        {
            if (ids.Contains(e.BorrowerId))
            {
                events.Add(ReportEndpoints.ToFunnelEvent(e));
            }
        }

        return events;
    }

    private void ShowProgress(FunnelRow totals, double day, int days)
    {
        var c = provider.Counters;
        var progress = new DemoProgress(Math.Min(days, day), totals, c.Throttled + c.Failed);
        _progress.Enqueue(progress);
        LogProgress(logger, progress.BusinessDay, days, totals.Sent, totals.Delivered, totals.Tasks, totals.Replied, totals.OptedOut, totals.Paid, progress.ProviderRefusals);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: importing {Borrowers} borrowers, then {Days} business days in about {Seconds} s")]
    private static partial void LogImporting(ILogger logger, int borrowers, int days, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: {Imported} borrowers imported ({Rejected} rejected)")]
    private static partial void LogImported(ILogger logger, int imported, int rejected);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Demo: business day {Day:0.0}/{Days}: {Sent} SMS sent, {Delivered} delivered, {Tasks} call/agency tasks, {Replied} replied, {OptedOut} opted out, {Paid} paid in full (provider refused {Refusals} attempts: throttled or failed)")]
    private static partial void LogProgress(ILogger logger, double day, int days, int sent, int delivered, int tasks, int replied, int optedOut, int paid, long refusals);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: done; business time runs at real time again. The service keeps serving at {Address} (Ctrl-C stops it).")]
    private static partial void LogDone(ILogger logger, string address);
}

/// <summary>One progress line: the funnel's total so far (<see cref="Funnel.Total"/>) and the provider's refused attempts.</summary>
public sealed record DemoProgress(double BusinessDay, FunnelRow Totals, long ProviderRefusals);

/// <summary>What a finished demo printed and measured; <c>RealTimeFrom</c> is the business instant from which business time runs at real time again.</summary>
public sealed record DemoResult(IReadOnlyList<FunnelRow> Rows, FunnelRow Total, IReadOnlyList<DemoProgress> Progress, string Report, string NextSteps, DateTimeOffset RealTimeFrom);
