using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Silo.Hosting;
using OrleansReminders.Testing;

namespace OrleansReminders.Silo.Tests;

/// <summary>The service as Program.cs builds it, on the embedded default, free loopback ports, extra settings on top.</summary>
internal sealed class ServiceHost : IAsyncDisposable
{
    private ServiceHost(WebApplication app) => App = app;

    public WebApplication App { get; }

    public IGrainFactory Grains => App.Services.GetRequiredService<IGrainFactory>();

    public HttpClient Http { get; } = new();

    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <param name="settings">Settings on top of the embedded default on free ports.</param>
    /// <param name="configure">Runs on the builder before the service is composed.</param>
    /// <param name="replace">Where a test swaps a part of the production graph (after every registration).</param>
    /// <param name="environment">The host environment: Development unless a test needs another.</param>
    public static async Task<ServiceHost> StartAsync(
        IDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? replace = null,
        string environment = "Development")
    {
        var (siloPort, gatewayPort) = TestSilo.FreePorts();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Cluster:ClusterId"] = "host-" + Guid.NewGuid().ToString("N")[..8],
            ["Cluster:ServiceId"] = "host",
            ["Cluster:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The embedded default, even when the suite runs with ORLEANSREMINDERS_PG set (tests/run.sh sets it):
            // these hosts reuse borrower ids and must not find state left by another test or run.
            ["Cluster:PostgreSql"] = "",
            ["ORLEANSREMINDERS_PG"] = "",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        configure?.Invoke(builder);
        var app = ServiceApp.Build(builder, replace);
        await app.StartAsync();
        return new ServiceHost(app);
    }

    /// <summary>
    /// A borrower (Chinese number, a zone where it is morning now) with one message due at once. Region US: on the
    /// real clock only a calendar computed by rule covers every date (the shipped CN calendar ends 2026-12-31, and a
    /// CN borrower would then be held as calendar-not-covered).
    /// </summary>
    public async Task<IBorrowerGrain> BorrowerWithADueMessageAsync(string id, string phone = "+8613812345678")
    {
        var grain = Grains.GetGrain<IBorrowerGrain>(id);
        var now = DateTimeOffset.UtcNow;
        var accepted = await grain.UpsertAsync(new BorrowerUpsert(phone, "zh-CN", [TestZones.WhereItIsMorning(now)], "US",
            [new DebtInput("loan-1", 1500m, "CNY", DateOnly.FromDateTime(now.UtcDateTime).AddDays(-2))], Risk: new RiskInput(0.3m, 1)));
        Assert.True(accepted.IsAccepted, accepted.Message);
        return grain;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
