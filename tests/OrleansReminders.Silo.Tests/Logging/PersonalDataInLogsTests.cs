using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansReminders.Silo.Demo;
using OrleansReminders.Silo.Security;
using Serilog.Core;
using Serilog.Events;

namespace OrleansReminders.Silo.Tests.Logging;

/// <summary>
/// Every log event of a scenario — a demo portfolio run through the ladder, API upserts and reads, an
/// inbound reply webhook — at Debug level, rendered with all its properties, searched for the borrowers'
/// phone numbers (E.164 and national digits) and names: none may appear.
/// </summary>
public sealed class PersonalDataInLogsTests
{
    [Fact]
    public async Task NoPhoneNumberOrNameReachesTheLogs()
    {
        var sink = new CapturingSink();
        var settings = new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Debug",
            ["Serilog:MinimumLevel:Override:Orleans"] = "Debug",
            ["Demo:Enabled"] = "true",
            ["Demo:Borrowers"] = "30",
            ["Demo:BusinessDays"] = "6",
            ["Demo:RealSeconds"] = "10",
            ["Api:Keys:0:Name"] = "tester", ["Api:Keys:0:Sha256"] = ApiKeys.Hash("test-key"), ["Api:Keys:0:Roles:0"] = "admin",
        };
        var portfolio = DemoPortfolio.Generate(30, new DemoOptions().Seed, DateOnly.FromDateTime(DateTime.UtcNow)).ToList();
        await using (var host = await ServiceHost.StartAsync(settings, builder => builder.Services.AddSingleton<ILogEventSink>(sink)))
        {
            host.Http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, "test-key");
            var put = await host.Http.PutAsJsonAsync(new Uri(host.BaseAddress, "/borrowers/pii-1"), new
            {
                phone = "+8613987654321", name = "Zhang Wei-Logcheck", locale = "zh-CN", timeZones = new[] { "Asia/Shanghai" }, region = "CN",
                debts = new[] { new { debtId = "l1", amountDue = 100, currency = "CNY", dueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1) } },
            });
            put.EnsureSuccessStatusCode();
            (await host.Http.GetAsync(new Uri(host.BaseAddress, "/borrowers/pii-1"))).EnsureSuccessStatusCode();
            var bad = await host.Http.PutAsJsonAsync(new Uri(host.BaseAddress, "/borrowers/pii-2"), new { phone = "+8613987654322", name = "Li Na-Logcheck" });
            Assert.Equal(422, (int)bad.StatusCode);

            var runner = host.App.Services.GetRequiredService<DemoRunner>();
            for (var i = 0; i < 600 && runner.Report is null; i++)
            {
                await Task.Delay(200);
            }

            Assert.NotNull(runner.Report);
        }

        var needles = portfolio.SelectMany(b => new[] { b.Upsert.Phone, b.Upsert.Phone.TrimStart('+'), b.Upsert.Phone[3..], b.Upsert.Name! })
            .Concat(["+8613987654321", "13987654321", "Zhang Wei-Logcheck", "+8613987654322", "13987654322", "Li Na-Logcheck"])
            .ToList();
        var logs = sink.Rendered.ToList();
        Assert.True(logs.Count > 100, $"only {logs.Count} log events: the scenario did not run");
        var leaks = logs.SelectMany(line => needles.Where(n => line.Contains(n, StringComparison.Ordinal)).Select(n => $"{n} in: {line}")).Take(5).ToList();
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    private sealed class CapturingSink : ILogEventSink
    {
        private readonly ConcurrentQueue<string> _rendered = new();

        public IEnumerable<string> Rendered => _rendered;

        public void Emit(LogEvent logEvent)
        {
            var properties = string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"));
            _rendered.Enqueue($"{logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)} {properties} {logEvent.Exception}");
        }
    }
}
