using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Grains.Dispatching;
using OrleansReminders.Grains.History;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Tests.Dispatching;

/// <summary>Three silos sharing one provider account through the dispatcher pool.</summary>
public sealed class PoolClusterFixture : IAsyncLifetime
{
    public const double Rate = 200;
    public const int Dispatchers = 6;

    public StampingSender Sender { get; } = new("stub");

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Borrowers);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<ISmsSender>(Sender);
            silo.Services.AddDispatcherPool(o =>
            {
                o.Account = Sender.Name;
                o.RatePerSecond = Rate;
                o.Dispatchers = Dispatchers;
            });
            silo.Services.AddSingleton<IContactEventStore, InMemoryContactEventStore>();
            silo.Services.AddBorrowerServices();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PoolCluster : ICollectionFixture<PoolClusterFixture>
{
    public const string Name = "Dispatcher pool cluster";
}

[Collection(PoolCluster.Name)]
public sealed class DispatcherPoolTests(PoolClusterFixture fixture)
{
    private const double Rate = PoolClusterFixture.Rate;

    /// <summary>
    /// Nine messages in ten land on one dispatcher. The pool still sends at the account's rate — no
    /// second above R × 1.02 — and the busy dispatcher uses the idle ones' budget: the batch takes about
    /// what the rate allows, not the six times longer a fixed R/6 share would take. Every message is sent
    /// exactly once.
    /// </summary>
    [Fact]
    public async Task SkewedLoadIsSentAtTheGlobalRateNeverAboveItAndEveryMessageOnce()
    {
        fixture.Sender.Clear();
        const int count = 1_200;
        var messages = Enumerable.Range(0, count).Select(i => Message($"skew-{i}")).ToList();
        await Task.WhenAll(messages.Select((m, i) => fixture.Grains
            .GetGrain<IDispatcherGrain>(i % 10 == 0 ? (1 + (i % PoolClusterFixture.Dispatchers - 1)).ToString() : "0")
            .EnqueueAsync(m)));

        await Eventually.WaitForAsync(() => Task.FromResult(Sent("skew-").Count), n => n >= count, TimeSpan.FromSeconds(60), "every message to be sent");
        await Task.Delay(TimeSpan.FromMilliseconds(200)); // a duplicate would show up now

        var sends = Sent("skew-");
        Assert.Equal(count, sends.Count);
        Assert.Equal(count, sends.Select(s => s.Key).Distinct().Count());
        var busiestSecond = StampingSender.MaxInAnySecond(sends.Select(s => s.At));
        Assert.InRange(busiestSecond, 1, (int)(Rate * 1.02) + 1);

        // Work-conserving (correctness, with a wide margin for a loaded machine): at R the batch needs
        // 6 s; one dispatcher on a fixed sixth of R would need over 30 s.
        var span = sends.Max(s => s.At) - sends.Min(s => s.At);
        Assert.True(span < TimeSpan.FromSeconds(3 * count / Rate), $"the batch took {span.TotalSeconds:0.0} s");
    }

    /// <summary>A silo leaves in the middle of a batch: the rate still holds and nothing is sent twice.</summary>
    [Fact]
    public async Task TheRateHoldsAndNothingIsSentTwiceWhileASiloStops()
    {
        fixture.Sender.Clear();
        const int count = 800;
        var messages = Enumerable.Range(0, count).Select(i => Message($"stop-{i}")).ToList();
        await Task.WhenAll(messages.Select((m, i) => fixture.Grains
            .GetGrain<IDispatcherGrain>((i % PoolClusterFixture.Dispatchers).ToString()).EnqueueAsync(m)));
        await Eventually.WaitForAsync(() => Task.FromResult(Sent("stop-").Count), n => n >= 200, TimeSpan.FromSeconds(30), "sending to start");

        await fixture.Cluster.StopSiloAsync(fixture.Cluster.Silos[^1]);
        await Task.Delay(TimeSpan.FromSeconds(2));

        // Everything the account sent in this window, whatever the batch: the limit is per account.
        var sends = fixture.Sender.Sends.ToList();
        var ours = Sent("stop-");
        Assert.Equal(ours.Count, ours.Select(s => s.Key).Distinct().Count());
        Assert.InRange(StampingSender.MaxInAnySecond(sends.Select(s => s.At)), 1, (int)(Rate * 1.02) + 1);
    }

    /// <summary>
    /// A silo dies without warning (no deactivation, its dispatchers' queues are gone, the coordinator may
    /// be among them): the surviving silos' sends still never exceed the rate.
    /// </summary>
    [Fact]
    public async Task TheRateHoldsWhenASiloIsKilled()
    {
        if (fixture.Cluster.Silos.Count < 2)
        {
            await fixture.Cluster.StartAdditionalSiloAsync();
        }

        fixture.Sender.Clear();
        const int count = 800;
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => fixture.Grains
            .GetGrain<IDispatcherGrain>((i % PoolClusterFixture.Dispatchers).ToString()).EnqueueAsync(Message($"kill-{i}"))));
        await Eventually.WaitForAsync(() => Task.FromResult(Sent("kill-").Count), n => n >= 200, TimeSpan.FromSeconds(30), "sending to start");

        await fixture.Cluster.KillSiloAsync(fixture.Cluster.Silos[^1]);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var sends = fixture.Sender.Sends.ToList();
        var ours = Sent("kill-");
        Assert.Equal(ours.Count, ours.Select(s => s.Key).Distinct().Count());
        Assert.InRange(StampingSender.MaxInAnySecond(sends.Select(s => s.At)), 1, (int)(Rate * 1.02) + 1);
    }

    private List<(string Key, DateTimeOffset At)> Sent(string batch) =>
        fixture.Sender.Sends.Where(s => s.Key.StartsWith("pool-b-" + batch, StringComparison.Ordinal)).ToList();

    private static OutboundMessage Message(string key) => new(
        $"pool-b-{key}:1:L0", $"pool-b-{key}", MessageChannel.Sms, "reminder.due", Tier.Medium, "en-US",
        Transactional: false, Urgent: false, DateTimeOffset.UtcNow.AddHours(1), To: "+12025550123");
}
