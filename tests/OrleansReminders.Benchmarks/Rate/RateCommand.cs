using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Grains.Dispatching;
using OrleansReminders.Grains.Messaging;
using OrleansReminders.Testing;

namespace OrleansReminders.Benchmarks.Rate;

/// <summary>
/// <c>rate</c>: the dispatcher pool under demand well above its rate R. Several silos (ADO.NET clustering on
/// PostgreSQL, one process), a provider stub that stamps each send, half of all messages on one dispatcher
/// (skew), one silo stopped half-way. Reports sends per second, the busiest one-second window (sliding) and
/// the process CPU per message.
/// </summary>
public static class RateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new CommandLine(args);
        var rate = options.Int("--rate", 500, 1, 50_000);
        var seconds = options.Int("--seconds", 60, 5, 3600);
        var silos = options.Int("--silos", 3, 1, 8);
        var dispatchers = options.Int("--dispatchers", 8, 1, 256);
        // stop: graceful (dispatchers hand back what they hold); kill: the silo stops without a goodbye (no
        // deactivations, no membership update: the others declare it dead), as after kill -9.
        var fault = options.Choice("--fault", "stop", "stop", "kill");
        options.RejectUnknown();
        var connectionString = Environment.GetEnvironmentVariable("ORLEANSREMINDERS_PG");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine("rate: set ORLEANSREMINDERS_PG (the silos cluster through PostgreSQL)");
            return 2;
        }

        var runId = BenchSilo.NewRunId("bench-rate");
        var sender = new StampSender();
        var hosts = new List<IHost>();
        for (var i = 0; i < silos; i++)
        {
            hosts.Add(await BenchSilo.StartAsync(TestSilo.Settings(runId, connectionString), CancellationToken.None, silo =>
            {
                silo.Services.AddSingleton<ISmsSender>(sender);
                silo.Services.AddDispatcherPool(o =>
                {
                    o.Account = sender.Name;
                    o.RatePerSecond = rate;
                    o.Dispatchers = dispatchers;
                    o.QueueCapacity = 1_000_000;
                });
            }));
        }

        Console.WriteLine($"run {runId}: {Environment.ProcessorCount} cores, {silos} silos, {dispatchers} dispatchers, R = {rate}/s, {seconds} s, " +
            $"{BuildConfiguration.Name} build; half the demand on dispatcher 0; silo {silos} {(fault == "kill" ? "is killed" : "stops")} at {seconds / 2} s");
        var grains = hosts[0].Grains();
        // The silos' own idle cost (membership, timers), measured first and subtracted below.
        await Task.Delay(TimeSpan.FromSeconds(5)); // start-up work (JIT, joins) settles
        var idleFrom = Process.GetCurrentProcess().TotalProcessorTime;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var idlePerSecond = (Process.GetCurrentProcess().TotalProcessorTime - idleFrom) / 5;
        using var stop = new CancellationTokenSource();
        var feeder = FeedAsync(grains, rate, dispatchers, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(2)); // queues filled, sending under way

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sentBefore = sender.Count;
        var t0 = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(seconds / 2.0));
        if (silos > 1)
        {
            var at = (DateTimeOffset.UtcNow - t0).TotalSeconds;
            // A cancelled token makes Orleans stop the silo ungracefully.
            await hosts[^1].StopAsync(fault == "kill" ? new CancellationToken(canceled: true) : CancellationToken.None);
            Console.WriteLine($"{(fault == "kill" ? "killed" : "stopped")} silo {silos} at {at:F1} s (took {(DateTimeOffset.UtcNow - t0).TotalSeconds - at:F1} s)");
        }

        await Task.Delay(t0.AddSeconds(seconds) - DateTimeOffset.UtcNow);
        var t1 = DateTimeOffset.UtcNow;
        await stop.CancelAsync();
        var offered = await feeder;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var stamps = sender.Stamps.Where(s => s >= t0 && s < t1).Order().ToList();

        var perSecond = Enumerable.Range(0, seconds).Select(s => stamps.Count(t => t >= t0.AddSeconds(s) && t < t0.AddSeconds(s + 1))).ToList();
        var steady = perSecond.Skip(1).SkipLast(1).ToList();
        var after = perSecond.Skip(seconds / 2).ToList();
        var recovered = after.FindIndex(n => n >= 0.9 * rate);
        var busiest = MaxInAnyWindow(stamps, TimeSpan.FromSeconds(1));
        Console.WriteLine("sends per second: " + string.Join(" ", perSecond));
        Console.WriteLine($"achieved (seconds 2..{seconds - 1}): {steady.Average():F1}/s = {100 * steady.Average() / rate:F1}% of R; " +
            $"lowest second {steady.Min()} ({100.0 * steady.Min() / rate:F1}%), highest aligned second {perSecond.Max()}");
        Console.WriteLine($"busiest sliding one-second window: {busiest} = {100.0 * busiest / rate:F1}% of R");
        Console.WriteLine($"after the {fault}: seconds below 90% of R {after.Count(n => n < 0.9 * rate)}, of them at zero {after.Count(n => n == 0)}; " +
            $"back at 90% of R after {(recovered < 0 ? "never" : recovered + " s")}");
        var sent = Math.Max(1, sender.Count - sentBefore);
        var busy = cpu - (idlePerSecond * (t1 - t0).TotalSeconds);
        Console.WriteLine($"process CPU per message sent: {cpu.TotalMicroseconds / sent:F0} µs in all ({sender.Count - sentBefore:N0} sent; " +
            $"driver enqueueing + {silos} silos + stub), {busy.TotalMicroseconds / sent:F0} µs above the silos' idle cost " +
            $"({idlePerSecond.TotalMilliseconds:F0} ms CPU per second idle)");
        Console.WriteLine($"offered {offered:N0} messages in all; duplicates sent: {sender.Keys.Count - sender.Keys.Distinct().Count()}");

        foreach (var host in hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        return 0;
    }

    /// <summary>
    /// Keeps demand above R for the whole run: every 100 ms each dispatcher is topped up to its backlog
    /// target, half of the pool's 2 × R backlog on dispatcher 0 (skew), the rest spread over the others.
    /// Messages a stopped dispatcher hands back go to borrowers that do not exist here; the feeder's
    /// top-up replaces them.
    /// </summary>
    private static async Task<int> FeedAsync(IGrainFactory grains, int rate, int dispatchers, CancellationToken stop)
    {
        var next = 0;
        var sendBy = DateTimeOffset.UtcNow.AddHours(2);
        while (!stop.IsCancellationRequested)
        {
            for (var d = 0; d < dispatchers && !stop.IsCancellationRequested; d++)
            {
                var dispatcher = grains.GetGrain<IDispatcherGrain>(d.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var target = dispatchers == 1 ? 2 * rate : d == 0 ? rate : rate / (dispatchers - 1);
                var queued = (await dispatcher.GetStatsAsync()).Queued;
                var batch = Enumerable.Range(0, Math.Max(0, target - queued)).Select(_ => Interlocked.Increment(ref next)).Select(i =>
                    dispatcher.EnqueueAsync(new OutboundMessage($"rate-b{i}:1:L0", $"rate-b{i}", MessageChannel.Sms, "reminder.due", Tier.Medium, "en-US",
                        false, false, sendBy, To: "+12025550123")));
                await Task.WhenAll(batch);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return next;
    }

    private static int MaxInAnyWindow(List<DateTimeOffset> sorted, TimeSpan window)
    {
        var max = 0;
        for (int i = 0, j = 0; i < sorted.Count; i++)
        {
            while (sorted[i] - sorted[j] >= window)
            {
                j++;
            }

            max = Math.Max(max, i - j + 1);
        }

        return max;
    }

    /// <summary>A provider account that accepts at once and stamps every send.</summary>
    private sealed class StampSender : ISmsSender
    {
        private readonly ConcurrentQueue<DateTimeOffset> _stamps = new();
        private readonly ConcurrentQueue<string> _keys = new();

        public string Name => "bench";

        public int Count => _stamps.Count;

        public IEnumerable<DateTimeOffset> Stamps => _stamps;

        public IReadOnlyCollection<string> Keys => _keys;

        public Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken = default)
        {
            _stamps.Enqueue(DateTimeOffset.UtcNow);
            _keys.Enqueue(message.ClientReference);
            return Task.FromResult(SmsSendResult.Accepted(message.ClientReference));
        }
    }
}
