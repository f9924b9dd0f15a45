using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Silo.Hosting;
using OrleansReminders.Sms.Simulated;
using OrleansReminders.Testing;

namespace OrleansReminders.Silo.Tests.Messaging;

/// <summary>The host as Program.cs builds it: borrowers → dispatcher pool → simulated provider → receipts back.</summary>
public sealed class DefaultHostMessagingTests
{
    [Fact]
    public async Task ABorrowersDueMessageLeavesThroughThePoolAndItsDeliveryReceiptComesBack()
    {
        await using var host = await ServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["Dispatch:RatePerSecond"] = "20",
            ["Sms:Simulated:Seed"] = "7",
            ["Sms:Simulated:FailureRate"] = "0",
            ["Sms:Simulated:PermanentFailureRate"] = "0",
            ["Sms:Simulated:DeliveryRate"] = "1",
            ["Sms:Simulated:MinReceiptDelay"] = "00:00:00.050",
            ["Sms:Simulated:MaxReceiptDelay"] = "00:00:00.100",
            ["Sms:Simulated:Borrowers:medium:ConfirmRate"] = "0",
            ["Sms:Simulated:Borrowers:medium:PlanRequestRate"] = "0",
            ["Sms:Simulated:Borrowers:medium:OptOutRate"] = "0",
            ["Sms:Simulated:Borrowers:medium:PaymentRate"] = "0",
        });
        var app = host.App;
        var grain = await host.BorrowerWithADueMessageAsync("e2e-1");

        var simulated = app.Services.GetRequiredService<SimulatedSmsSender>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        BorrowerStatus? status;

        // The provider counts a receipt once the borrower grain has taken it: wait for both.
        do
        {
            await Task.Delay(100);
            status = await grain.GetStatusAsync();
        }
        while ((status!.Counts.Delivered == 0 || simulated.Counters.ReceiptsDelivered == 0) && DateTime.UtcNow < deadline);

        var history = await grain.GetRecentHistoryAsync();
        Assert.True(status.Counts.Delivered == 1,
            $"{simulated.Counters} | {status.NextAction} | " + string.Join(" | ", history.Events.Select(e => $"{e.Kind} {e.Reason}")));
        Assert.Equal(1, simulated.Counters.Sent);
        Assert.Equal(1, simulated.Counters.ReceiptsDelivered);
        var rate = await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IRateCoordinatorGrain>("simulated").GetRateAsync();
        Assert.Equal(20, rate.ConfiguredPerSecond);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Http.GetAsync(new Uri(host.BaseAddress, "/health/live"))).StatusCode);
        // Ready: the silo and its (absent) database are healthy. The whole report may be Degraded on the real clock
        // while a shipped holiday calendar nears its end; that is still 200.
        var ready = await host.Http.GetAsync(new Uri(host.BaseAddress, "/health/ready"));
        using var report = System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.NotEqual("Unhealthy", report.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.RootElement.GetProperty("checks").GetProperty("cluster").GetProperty("status").GetString());
        Assert.Equal("Healthy", report.RootElement.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());

        var metrics = await host.Http.GetStringAsync(new Uri(host.BaseAddress, "/metrics"));
        var messageLines = string.Join("\n", metrics.Split('\n').Where(l => l.Contains("orleansreminders", StringComparison.Ordinal)));
        Assert.True(messageLines.Contains("outcome=\"accepted\"", StringComparison.Ordinal), messageLines);
        Assert.Contains("orleansreminders_dispatch_rate", metrics, StringComparison.Ordinal);

        // No provider credentials configured: their callbacks cannot be verified, so they are not served.
        var unconfigured = await host.Http.PostAsync(new Uri(host.BaseAddress, "/webhooks/twilio/status"), new FormUrlEncodedContent([]));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unconfigured.StatusCode);
    }
}
