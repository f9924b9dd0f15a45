using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Grains.Dispatching;
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
        var (siloPort, gatewayPort) = TestSilo.FreePorts();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Cluster:ClusterId"] = "e2e-" + Guid.NewGuid().ToString("N")[..8],
            ["Cluster:ServiceId"] = "e2e",
            ["Cluster:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
        builder.AddLogging();
        builder.AddDomainConfiguration();
        builder.AddSilo();
        builder.AddMessaging();
        await using var app = builder.Build();
        await app.StartAsync();

        var grain = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IBorrowerGrain>("e2e-1");
        var now = DateTimeOffset.UtcNow;
        var accepted = await grain.UpsertAsync(new BorrowerUpsert("+8613812345678", "zh-CN", [TestZones.WhereItIsMorning(now)], "CN",
            [new DebtInput("loan-1", 1500m, "CNY", DateOnly.FromDateTime(now.UtcDateTime).AddDays(-2))], Risk: new RiskInput(0.3m, 1)));
        Assert.True(accepted.IsAccepted);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        BorrowerStatus? status;
        do
        {
            await Task.Delay(100);
            status = await grain.GetStatusAsync();
        }
        while (status!.Counts.Delivered == 0 && DateTime.UtcNow < deadline);

        var simulated = app.Services.GetRequiredService<SimulatedSmsSender>();
        var history = await grain.GetRecentHistoryAsync();
        Assert.True(status.Counts.Delivered == 1,
            $"{simulated.Counters} | {status.NextAction} | " + string.Join(" | ", history.Events.Select(e => $"{e.Kind} {e.Reason}")));
        Assert.Equal(1, simulated.Counters.Sent);
        Assert.Equal(1, simulated.Counters.ReceiptsDelivered);
        var rate = await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IRateCoordinatorGrain>("simulated").GetRateAsync();
        Assert.Equal(20, rate.ConfiguredPerSecond);
        await app.StopAsync();
    }
}
