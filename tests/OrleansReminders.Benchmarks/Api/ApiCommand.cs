using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansReminders.Silo.Hosting;
using OrleansReminders.Silo.Security;
using OrleansReminders.Testing;

namespace OrleansReminders.Benchmarks.Api;

/// <summary>
/// <c>api</c>: the service host (embedded, or PostgreSQL with ORLEANSREMINDERS_PG) on a loopback port and an
/// HTTP load driver in the same process. (1) Warm borrowers' status and the trivial <c>GET /</c>, each at a
/// fixed offered rate (open loop), p50/p99; (2) both at full speed (closed loop, three alternating rounds), requests/second and the median ratio;
/// (3) bulk import rows/second.
/// </summary>
public static class ApiCommand
{
    private const string Key = "bench-key";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new CommandLine(args);
        var rate = options.Int("--rate", 2000, 1, 100_000);
        var seconds = options.Int("--seconds", 15, 2, 600);
        var borrowers = options.Int("--borrowers", 1000, 1, 1_000_000);
        var importRows = options.Int("--import", 20_000, 0, 10_000_000);
        options.RejectUnknown();
        var postgreSql = Environment.GetEnvironmentVariable("ORLEANSREMINDERS_PG");

        var (siloPort, gatewayPort) = TestSilo.FreePorts();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Cluster:ClusterId"] = BenchSilo.NewRunId("bench-api"),
            ["Cluster:ServiceId"] = "bench-api",
            ["Cluster:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:PostgreSql"] = postgreSql,
            ["Api:Keys:0:Name"] = "bench", ["Api:Keys:0:Sha256"] = ApiKeys.Hash(Key), ["Api:Keys:0:Roles:0"] = "admin",
            ["Api:RequestsPerSecondPerKey"] = "1000000",
            // Production on PostgreSQL refuses the development secret.
            ["Privacy:PhoneKeySecret"] = "bench-" + Guid.NewGuid().ToString("N"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
        await using var app = ServiceApp.Build(builder);
        await app.StartAsync();
        var baseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = baseUrl };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, Key);
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {BuildConfiguration.Name} build, " +
            $"{(postgreSql is null ? "embedded" : "PostgreSQL")} host at {baseUrl}; driver in the same process");

        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd");
        var warm = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, borrowers), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var response = await http.PutAsJsonAsync($"/borrowers/warm-{i}", new
            {
                phone = $"+86139{i:D8}", locale = "zh-CN", timeZones = new[] { "Asia/Shanghai" }, region = "CN",
                debts = new[] { new { debtId = "l1", amountDue = 100, currency = "CNY", dueDate = due } },
            }, ct);
            response.EnsureSuccessStatusCode();
            (await http.GetAsync($"/borrowers/warm-{i}", ct)).EnsureSuccessStatusCode();
        });
        Console.WriteLine($"{borrowers:N0} borrowers created and read once in {warm.Elapsed.TotalSeconds:F1} s");

        var random = new Random(7);
        string StatusPath() => $"/borrowers/warm-{random.Next(borrowers)}";
        var trivialOpen = await OpenLoopAsync(http, () => "/", rate, TimeSpan.FromSeconds(seconds));
        var statusOpen = await OpenLoopAsync(http, StatusPath, rate, TimeSpan.FromSeconds(seconds));
        // Full speed in three alternating rounds: on this noisy machine one pair can differ by a third
        // from the next, so each round's ratio is printed and the median ratio is the figure.
        var rounds = new List<(Result Trivial, Result Status)>();
        for (var round = 0; round < 3; round++)
        {
            rounds.Add((await ClosedLoopAsync(http, () => "/", 64, TimeSpan.FromSeconds(seconds)),
                await ClosedLoopAsync(http, StatusPath, 64, TimeSpan.FromSeconds(seconds))));
            Console.WriteLine($"round {round + 1} done: GC heap {GC.GetTotalMemory(false) / 1e6:F0} MB, gen2 collections {GC.CollectionCount(2)}, " +
                $"threads {System.Threading.ThreadPool.ThreadCount}");
        }

        Console.WriteLine();
        Console.WriteLine($"offered {rate}/s for {seconds} s (open loop):    achieved/s      p50 ms   p99 ms   errors");
        Console.WriteLine($"  GET /                 {trivialOpen}");
        Console.WriteLine($"  GET /borrowers/{{id}}   {statusOpen}");
        for (var round = 0; round < rounds.Count; round++)
        {
            var (trivialClosed, statusClosed) = rounds[round];
            Console.WriteLine($"full speed, 64 in flight, {seconds} s (closed loop), round {round + 1}:");
            Console.WriteLine($"  GET /                 {trivialClosed}");
            Console.WriteLine($"  GET /borrowers/{{id}}   {statusClosed}   = {statusClosed.PerSecond / trivialClosed.PerSecond:P0} of the trivial endpoint");
        }

        var ratios = rounds.Select(r => r.Status.PerSecond / r.Trivial.PerSecond).Order().ToList();
        Console.WriteLine($"status vs trivial at full speed, median of {ratios.Count} rounds: {ratios[ratios.Count / 2]:P0} (rounds: {string.Join(", ", ratios.Select(r => r.ToString("P0", System.Globalization.CultureInfo.InvariantCulture)))})");

        if (importRows > 0)
        {
            const int Chunk = 2_000;
            var import = Stopwatch.StartNew();
            var accepted = 0;
            for (var start = 0; start < importRows; start += Chunk)
            {
                var lines = Enumerable.Range(start, Math.Min(Chunk, importRows - start)).Select(i =>
                    $$"""{"id":"imp-{{i}}","phone":"+86138{{i:D8}}","locale":"zh-CN","timeZones":["Asia/Shanghai"],"region":"CN","debts":[{"debtId":"l1","amountDue":100,"currency":"CNY","dueDate":"{{due}}"}]}""");
                using var content = new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson");
                var summary = await (await http.PostAsync("/borrowers/import", content)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                accepted += summary.GetProperty("accepted").GetInt32();
            }

            Console.WriteLine($"bulk import: {accepted:N0} of {importRows:N0} rows in {import.Elapsed.TotalSeconds:F1} s = {accepted / import.Elapsed.TotalSeconds:N0} rows/s " +
                $"(NDJSON, {Chunk:N0} rows per request, {(postgreSql is null ? "in-memory" : "PostgreSQL")} grain storage)");
        }

        await app.StopAsync();
        return 0;
    }

    /// <summary>
    /// Offers <paramref name="rate"/> requests a second on a dedicated pacing thread (1 ms sleeps; every
    /// request whose time has come is sent at each wake-up, none waits for an earlier answer). Latency is
    /// counted from each request's scheduled start, so a stalled server counts against it; the pacing
    /// thread's own oversleep (up to about a millisecond) counts too and is the same for both endpoints.
    /// </summary>
    private static async Task<Result> OpenLoopAsync(HttpClient http, Func<string> path, int rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var sends = new Task[total];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var paced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pacer = new Thread(() =>
        {
            for (var i = 0; i < total; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / rate);
                while (clock.Elapsed < due)
                {
                    Thread.Sleep(1);
                }

                sends[i] = SendAsync(i, due, path());
            }

            paced.SetResult();
        }) { IsBackground = true, Name = "open-loop pacer" };
        pacer.Start();
        await paced.Task;
        await Task.WhenAll(sends);
        return Result.From(latencies, clock.Elapsed, errors);

        async Task SendAsync(int i, TimeSpan due, string target)
        {
            try
            {
                using var response = await http.GetAsync(target).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref errors);
            }

            latencies[i] = (clock.Elapsed - due).TotalMilliseconds;
        }
    }

    private static async Task<Result> ClosedLoopAsync(HttpClient http, Func<string> path, int concurrency, TimeSpan duration)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var lockObject = new Lock();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                string target;
                lock (lockObject)
                {
                    target = path();
                }

                var start = clock.Elapsed;
                using var response = await http.GetAsync(target);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies.Add((clock.Elapsed - start).TotalMilliseconds);
            }
        })));
        return Result.From(latencies, clock.Elapsed, errors);
    }

    private sealed record Result(int Count, double PerSecond, double P50, double P99, int Errors)
    {
        public static Result From(IEnumerable<double> latencies, TimeSpan elapsed, int errors)
        {
            var sorted = latencies.Order().ToArray();
            double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
            return new Result(sorted.Length, sorted.Length / elapsed.TotalSeconds, At(0.50), At(0.99), errors);
        }

        public override string ToString() => $"{PerSecond,10:N0}   {P50,8:F2} {P99,8:F2}   {Errors,6}";
    }
}
