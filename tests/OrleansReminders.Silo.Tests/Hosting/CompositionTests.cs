using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansReminders.Grains.Borrowers;
using OrleansReminders.Grains.Dispatching;
using OrleansReminders.Grains.History;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Silo.Tests.Hosting;

/// <summary>The service host in Production on the embedded default, with no overrides: one host for the class.</summary>
public sealed class ProductionEmbeddedHostFixture : IAsyncLifetime
{
    private ServiceHost _host = null!;

    public IServiceProvider Services => _host.App.Services;

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync(new Dictionary<string, string?>(), environment: Environments.Production);

    public async Task DisposeAsync() => await _host.DisposeAsync();
}

/// <summary>What the host resolves when no test replaces anything: the production graph, chosen, not patched.</summary>
public sealed class CompositionTests(ProductionEmbeddedHostFixture fixture) : IClassFixture<ProductionEmbeddedHostFixture>
{
    private IServiceProvider Services => fixture.Services;

    [Fact]
    public void BorrowersSendThroughTheDispatcherPool()
    {
        Assert.IsType<PooledMessageDispatcher>(Services.GetRequiredService<IMessageDispatcher>());
        Assert.Single(Services.GetServices<IMessageDispatcher>());
        Assert.Null(Services.GetService<RecordingMessageDispatcher>());
    }

    [Fact]
    public void TheEmbeddedDefaultKeepsHistoryInMemory()
    {
        Assert.IsType<InMemoryContactEventStore>(Services.GetRequiredService<IContactEventStore>());
        Assert.Single(Services.GetServices<IContactEventStore>());
    }

    /// <summary>Without PostgreSQL nothing is kept, so Production without keys or a phone-key secret still starts (the try-out).</summary>
    [Fact]
    public void TheEmbeddedDefaultStartsInProductionWithTheTemporaryKeyAndTheDevelopmentSecret()
    {
        Assert.False(Services.GetRequiredService<IHostEnvironment>().IsDevelopment());
        Assert.NotNull(Services.GetRequiredService<Silo.Security.TemporaryApiKey>().Key);
        var developmentKey = new PhoneKeyer(PhoneKeyer.DevelopmentSecret).KeyFor("+8613812345678");
        Assert.Equal(developmentKey, Services.GetRequiredService<PhoneKeyer>().KeyFor("+8613812345678"));
    }
}
