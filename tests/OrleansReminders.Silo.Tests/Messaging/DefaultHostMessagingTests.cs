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

    [Fact]
    public async Task AnAdminSwitchesTheSimulatedProvidersOutageOnAndOffAndTheMessageLeavesAfterIt()
    {
        await using var host = await ServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Keys:0:Name"] = "owner", ["Api:Keys:0:Sha256"] = Security.ApiKeys.Hash("admin-key"), ["Api:Keys:0:Roles:0"] = "admin",
            ["Api:Keys:1:Name"] = "ops-console", ["Api:Keys:1:Sha256"] = Security.ApiKeys.Hash("ops-key"), ["Api:Keys:1:Roles:0"] = "ops",
            ["Sms:Simulated:FailureRate"] = "0",
            ["Sms:Simulated:PermanentFailureRate"] = "0",
        });
        var simulated = host.App.Services.GetRequiredService<SimulatedSmsSender>();

        var byOps = await SwitchAsync(host, "outage", "ops-key");
        var unknown = await SwitchAsync(host, "flood", "admin-key");
        var outage = await SwitchAsync(host, "outage", "admin-key");
        var grain = await host.BorrowerWithADueMessageAsync("fault-1");
        await Eventually.WaitForAsync(() => Task.FromResult(simulated.Counters), c => c.Failed > 0, TimeSpan.FromSeconds(30), "a send refused by the outage");
        var duringOutage = simulated.Counters.Sent;
        var off = await SwitchAsync(host, "none", "admin-key");
        await Eventually.WaitForAsync(() => Task.FromResult(simulated.Counters), c => c.Sent > 0, TimeSpan.FromSeconds(60), "the send once the outage is over");

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, byOps.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("mode", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, outage.StatusCode);
        Assert.Contains("\"mode\":\"outage\"", await outage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, duringOutage);
        Assert.Contains("\"mode\":\"none\"", await off.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Eventually.WaitForAsync(async () => (await grain.GetStatusAsync())!.Counts.Sent, n => n == 1, TimeSpan.FromSeconds(30), "the borrower to count it sent");
    }

    private static async Task<HttpResponseMessage> SwitchAsync(ServiceHost host, string mode, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(host.BaseAddress, "/simulated/fault?mode=" + mode));
        request.Headers.Add("X-Api-Key", key);
        return await host.Http.SendAsync(request);
    }
}
