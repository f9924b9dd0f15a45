using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using OrleansReminders.Silo.Security;
using Serilog.Core;
using Serilog.Events;

namespace OrleansReminders.Silo.Tests.Logging;

public sealed class CorrelationTests
{
    [Fact]
    public async Task EveryRequestCarriesACorrelationIdAndItsBorrowerIdIntoTheLogs()
    {
        var events = new ConcurrentQueue<LogEvent>();
        await using var host = await ServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Keys:0:Name"] = "reporting", ["Api:Keys:0:Sha256"] = ApiKeys.Hash("reader-key"), ["Api:Keys:0:Roles:0"] = "reader",
        }, builder => builder.Services.AddSingleton<ILogEventSink>(new Sink(events)));

        using var given = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, "/borrowers/corr-1"));
        given.Headers.Add("X-Correlation-Id", "case-4711");
        given.Headers.Add(ApiKeyAuthenticationHandler.Header, "reader-key");
        var answered = await host.Http.SendAsync(given);
        var generated = await host.Http.GetAsync(new Uri(host.BaseAddress, "/health/live"));

        Assert.Equal("case-4711", answered.Headers.GetValues("X-Correlation-Id").Single());
        Assert.Matches("^[0-9a-f]{32}$", generated.Headers.GetValues("X-Correlation-Id").Single());
        var requestLog = Assert.Single(events, e => e.Properties.TryGetValue("CorrelationId", out var c) && c.ToString() == "\"case-4711\""
            && e.MessageTemplate.Text.StartsWith("HTTP", StringComparison.Ordinal));
        Assert.Equal("\"corr-1\"", requestLog.Properties["BorrowerId"].ToString());
    }

    private sealed class Sink(ConcurrentQueue<LogEvent> events) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
    }
}
