using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Testing;

namespace OrleansReminders.Grains.Tests.Hosting;

/// <summary>Cluster:IdleDeactivationAfter reaches Orleans' grain collection, also below its one-minute quantum.</summary>
public sealed class IdleDeactivationTests
{
    [Fact]
    public async Task ABorrowerIdleLongerThanTheSettingIsDeactivated()
    {
        var settings = TestSilo.Settings("idle-" + Guid.NewGuid().ToString("N")[..8], postgreSql: null);
        settings.IdleDeactivationAfter = TimeSpan.FromSeconds(5); // Orleans refuses an age not above its quantum: the silo must still start
        await using var silo = await TestSilo.StartAsync(settings);
        var management = silo.Grains.GetGrain<IManagementGrain>(0);
        async Task<int> ActiveBorrowers() => (await management.GetSimpleGrainStatistics())
            .Where(s => s.GrainType.Contains("BorrowerGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);

        Assert.Null(await silo.Grains.GetGrain<IBorrowerGrain>("idle-1").GetStatusAsync());
        var before = await ActiveBorrowers();
        var after = await Eventually.WaitForAsync(ActiveBorrowers, n => n == 0, TimeSpan.FromSeconds(30), "the idle borrower to be deactivated");

        Assert.Equal(1, before);
        Assert.Equal(0, after);
    }

    [Theory]
    [InlineData(60)] // equal to Orleans' default quantum, which it refuses as an age
    [InlineData(900)] // the service default
    public async Task AnyIdleAgeGetsAQuantumBelowItAndTheSiloStarts(int seconds)
    {
        var settings = TestSilo.Settings("idle-" + Guid.NewGuid().ToString("N")[..8], postgreSql: null);
        settings.IdleDeactivationAfter = TimeSpan.FromSeconds(seconds);
        await using var silo = await TestSilo.StartAsync(settings);

        var options = silo.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(seconds), options.CollectionAge);
        Assert.True(options.CollectionQuantum < options.CollectionAge);
        Assert.True(options.EnableActivationSheddingOnMemoryPressure);
        Assert.Equal(80, options.MemoryUsageLimitPercentage);
    }
}
