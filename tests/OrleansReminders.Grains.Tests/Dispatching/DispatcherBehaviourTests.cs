using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Grains.Dispatching;
using OrleansReminders.Grains.History;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Tests.Dispatching;

/// <summary>One silo, a primary and a secondary provider account that answer as each test says, real time.</summary>
public sealed class BehaviourClusterFixture : IAsyncLifetime
{
    public StampingSender Primary { get; } = new("primary");

    public StampingSender Secondary { get; } = new("secondary");

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Borrowers);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<ISmsSender>(Primary);
            silo.Services.AddSingleton<ISmsSender>(Secondary);
            silo.Services.AddDispatcherPool(o =>
            {
                o.Account = Primary.Name;
                o.RatePerSecond = 100;
                o.SecondaryAccount = Secondary.Name;
                o.SecondaryRatePerSecond = 100;
                o.Dispatchers = 4;
                o.QueueCapacity = 60;
                o.MaxAttempts = 3;
                o.RetryBase = TimeSpan.FromMilliseconds(50);
                o.RetryCap = TimeSpan.FromMilliseconds(200);
                o.FailoverAfter = 3;
                o.FailbackAfter = TimeSpan.FromSeconds(2);
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
public sealed class BehaviourCluster : ICollectionFixture<BehaviourClusterFixture>
{
    public const string Name = "Dispatcher behaviour cluster";
}

/// <summary>Each test uses its own dispatcher (key) and its own message keys; answers are chosen per key.</summary>
[Collection(BehaviourCluster.Name)]
public sealed class DispatcherBehaviourTests(BehaviourClusterFixture fixture) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public void Dispose()
    {
        fixture.Primary.Answer = null;
        fixture.Secondary.Answer = null;
    }

    [Fact]
    public async Task TransactionalMessagesLeaveBeforeQueuedCollectionReminders()
    {
        var dispatcher = fixture.Grains.GetGrain<IDispatcherGrain>("prio");
        var collection = Enumerable.Range(0, 30).Select(i => Message($"prio-c{i}")).ToList();
        var transactional = Enumerable.Range(0, 5).Select(i => Message($"prio-t{i}", transactional: true)).ToList();
        foreach (var message in collection.Concat(transactional))
        {
            await dispatcher.EnqueueAsync(message);
        }

        await WaitAsync(() => Sent(fixture.Primary, "prio-").Count == 35, "all 35 sent");

        var order = Sent(fixture.Primary, "prio-").Select(s => s.Key).ToList();
        // At most the lease already being used (5 slots at 100/s) goes before them.
        Assert.All(transactional, t => Assert.InRange(order.IndexOf(t.MessageKey), 0, 10));
    }

    [Fact]
    public async Task AFullQueueDefersInsteadOfDropping()
    {
        var dispatcher = fixture.Grains.GetGrain<IDispatcherGrain>("full");
        var results = new List<DispatchResult>();
        foreach (var i in Enumerable.Range(0, 70))
        {
            results.Add(await dispatcher.EnqueueAsync(Message($"full-{i}")));
        }

        var deferred = results.Where(r => r.Outcome == DispatchOutcome.Deferred).ToList();
        Assert.NotEmpty(deferred);
        Assert.All(deferred, r => Assert.Equal("dispatcher queue full", r.Reason));
        Assert.All(deferred, r => Assert.True(r.RetryAt > DateTimeOffset.UtcNow));
        // A key it holds or already sent is recognised, not queued twice.
        Assert.Contains((await dispatcher.EnqueueAsync(Message("full-0"))).Outcome, new[] { DispatchOutcome.Accepted, DispatchOutcome.AlreadySent });
    }

    [Fact]
    public async Task AMessageWhoseWindowClosesInTheQueueIsReturnedNotSent()
    {
        var dispatcher = fixture.Grains.GetGrain<IDispatcherGrain>("late");
        foreach (var i in Enumerable.Range(0, 40))
        {
            await dispatcher.EnqueueAsync(Message($"late-{i}"));
        }

        // 40 messages at 100/s take 400 ms; this one's window closes after 100 ms.
        await dispatcher.EnqueueAsync(Message("late-x", sendBy: DateTimeOffset.UtcNow.AddMilliseconds(100)));
        await WaitAsync(() => Sent(fixture.Primary, "late-").Count == 40, "the others sent");
        await WaitAsync(async () => (await dispatcher.GetStatsAsync()).Returned >= 1, "the late one returned");

        Assert.DoesNotContain(Sent(fixture.Primary, "late-"), s => s.Key == Message("late-x").MessageKey);
    }

    [Fact]
    public async Task ThrottlingSlowsTheAccountDownAndTheMessagesStillLeave()
    {
        var throttledOnce = new HashSet<string>();
        fixture.Primary.Answer = m => m.ClientReference.StartsWith("pool-b-aimd", StringComparison.Ordinal) && throttledOnce.Add(m.ClientReference)
            ? new SmsSendResult(SmsSendStatus.Throttled, RetryAfter: TimeSpan.FromMilliseconds(50))
            : null;
        var dispatcher = fixture.Grains.GetGrain<IDispatcherGrain>("aimd");
        foreach (var i in Enumerable.Range(0, 5))
        {
            await dispatcher.EnqueueAsync(Message($"aimd-{i}"));
        }

        await WaitAsync(() => Sent(fixture.Primary, "aimd-").Count == 10, "5 throttled and 5 accepted attempts");
        var rate = await fixture.Grains.GetGrain<IRateCoordinatorGrain>("primary").GetRateAsync();

        Assert.True(rate.CurrentPerSecond < rate.ConfiguredPerSecond, $"rate {rate.CurrentPerSecond}");
        Assert.True((await dispatcher.GetStatsAsync()).Throttled >= 5);
    }

    [Fact]
    public async Task APermanentRefusalReachesTheBorrowerAsAFailedReceipt()
    {
        fixture.Primary.Answer = m => m.BorrowerId == "perm-1" ? new SmsSendResult(SmsSendStatus.Permanent, Code: "21211") : null;
        var grain = fixture.Grains.GetGrain<IBorrowerGrain>("perm-1");
        var now = DateTimeOffset.UtcNow;
        // Region US: on the real clock only a calendar computed by rule covers every date (CN's ends 2026-12-31).
        await grain.UpsertAsync(new BorrowerUpsert("+8613812345678", "zh-CN", [TestZones.WhereItIsMorning(now)], "US",
            [new DebtInput("loan-1", 1500m, "CNY", DateOnly.FromDateTime(now.UtcDateTime).AddDays(-2))]));

        await WaitAsync(async () => (await grain.GetStatusAsync())!.Counts.Failed == 1, "the failed receipt");

        var history = (await grain.GetRecentHistoryAsync()).Events;
        Assert.Contains(history, e => e.Kind == "message.undeliverable" && e.Reason == "21211");
    }

    [Fact]
    public async Task TransientFailuresRetryThenTheSecondaryTakesOverAndThePrimaryIsTriedAgainLater()
    {
        var primaryDown = true;
        fixture.Primary.Answer = m => primaryDown && m.ClientReference.StartsWith("pool-b-fo", StringComparison.Ordinal)
            ? new SmsSendResult(SmsSendStatus.Transient, Code: "503")
            : null;
        var dispatcher = fixture.Grains.GetGrain<IDispatcherGrain>("fo");
        foreach (var i in Enumerable.Range(0, 6))
        {
            await dispatcher.EnqueueAsync(Message($"fo-{i}"));
        }

        await WaitAsync(() => Sent(fixture.Secondary, "fo-").Select(s => s.Key).Distinct().Count() == 6, "all six through the secondary");
        Assert.Equal("secondary", (await dispatcher.GetStatsAsync()).ActiveAccount);
        var primaryRate = await fixture.Grains.GetGrain<IRateCoordinatorGrain>("primary").GetRateAsync();
        Assert.True(primaryRate.CurrentPerSecond < primaryRate.ConfiguredPerSecond, "5xx answers slow the primary down");

        primaryDown = false;
        await Task.Delay(TimeSpan.FromSeconds(2.2)); // FailbackAfter
        await dispatcher.EnqueueAsync(Message("fo-back"));
        await WaitAsync(() => Sent(fixture.Primary, "fo-back").Count == 1, "the primary to be used again");
        Assert.Equal("primary", (await dispatcher.GetStatsAsync()).ActiveAccount);
    }

    [Fact]
    public async Task AnApprovedTemplateIsRenderedWithTheBorrowersValuesAndWithoutOneTheShippedTextIsSent()
    {
        var template = fixture.Grains.GetGrain<Contracts.Templates.ITemplateGrain>("overdue.first/high/en-US/default");
        Assert.Equal(CommandOutcome.Accepted, (await template.SaveDraftAsync(new("Hi {{name}}, {{amount}} was due on {{dueDate}}. Reply STOP to opt out.", 2))).Outcome);
        Assert.Equal(CommandOutcome.Accepted, (await template.ApproveAsync("reviewer")).Outcome);
        var values = new MessageValues("Ada", 1234.5m, "USD", new DateOnly(2026, 11, 20), 3);
        var dispatcher = fixture.Grains.GetGrain<IDispatcherGrain>("texts");

        await dispatcher.EnqueueAsync(Message("text-1") with { TemplateKey = "overdue.first", Tier = Tier.High, Values = values });
        await dispatcher.EnqueueAsync(Message("text-2") with { TemplateKey = "overdue.first", Tier = Tier.Low, Values = values });
        await WaitAsync(() => fixture.Primary.Texts.ContainsKey(Message("text-2").MessageKey) && fixture.Primary.Texts.ContainsKey(Message("text-1").MessageKey), "both sent");

        var rendered = fixture.Primary.Texts[Message("text-1").MessageKey];
        Assert.StartsWith("Hi Ada, ", rendered, StringComparison.Ordinal);
        Assert.Contains("1,234.50", rendered, StringComparison.Ordinal);
        Assert.Contains("Reply STOP", fixture.Primary.Texts[Message("text-2").MessageKey], StringComparison.Ordinal);
        Assert.DoesNotContain("Ada", fixture.Primary.Texts[Message("text-2").MessageKey], StringComparison.Ordinal);
    }

    private static List<(string Key, DateTimeOffset At)> Sent(StampingSender sender, string batch) =>
        sender.Sends.Where(s => s.Key.StartsWith("pool-b-" + batch, StringComparison.Ordinal)).ToList();

    private static Task WaitAsync(Func<bool> done, string what) => WaitAsync(() => Task.FromResult(done()), what);

    private static Task WaitAsync(Func<Task<bool>> done, string what) => Eventually.WaitForAsync(done, d => d, Patience, what);

    private static OutboundMessage Message(string key, bool transactional = false, DateTimeOffset? sendBy = null) => new(
        $"pool-b-{key}:1:L0", $"pool-b-{key}", MessageChannel.Sms, "reminder.due", Tier.Medium, "en-US",
        transactional, Urgent: false, sendBy ?? DateTimeOffset.UtcNow.AddHours(1), To: "+12025550123");
}
