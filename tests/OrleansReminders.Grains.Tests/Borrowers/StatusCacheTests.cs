using Orleans.Core.Internal;
using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Grains.Tests.Borrowers;

/// <summary>The silo's status cache never says more or other than the grain would (LocalStatusCache).</summary>
[Collection(BorrowerCluster.Name)]
public sealed class StatusCacheTests(BorrowerClusterFixture fixture)
{
    [Fact]
    public async Task AnAnsweredStatusIsCachedUntilTheNextCallThatMayChangeIt()
    {
        var (id, grain) = Borrower();
        await grain.UpsertAsync(Upsert());
        Assert.False(fixture.StatusCache.TryGet(id, out _)); // nothing cached before the grain answers

        var answered = await grain.GetStatusAsync();
        Assert.True(fixture.StatusCache.TryGet(id, out var cached));
        Assert.Equal(Json(answered), Json(cached)); // the client got a copy of the same status

        await grain.PauseAsync(new OpsAction("ops-1", "dispute"));
        Assert.False(fixture.StatusCache.TryGet(id, out _));

        var paused = await grain.GetStatusAsync();
        Assert.True(fixture.StatusCache.TryGet(id, out var cachedPaused));
        Assert.Equal(Json(paused), Json(cachedPaused));
        Assert.Contains("paused", cachedPaused.Flags);
        Assert.DoesNotContain("paused", answered!.Flags);
    }

    [Fact]
    public async Task AReminderTickAndARejectedCallAlsoDropTheEntry()
    {
        var (id, grain) = Borrower();
        await grain.UpsertAsync(Upsert());

        await grain.GetStatusAsync();
        await grain.WakeAsync();
        Assert.False(fixture.StatusCache.TryGet(id, out _));

        await grain.GetStatusAsync();
        var rejected = await grain.RecordPaymentAsync(new PaymentRecord("p-1", -1m, "CNY", fixture.Clock.GetUtcNow()));
        Assert.Equal(CommandOutcome.Rejected, rejected.Outcome);
        Assert.False(fixture.StatusCache.TryGet(id, out _));
    }

    [Fact]
    public async Task AnEntryLapsesAtTheBorrowersNextLocalMidnight()
    {
        var (id, grain) = Borrower();
        await grain.UpsertAsync(Upsert());
        await grain.GetStatusAsync();
        Assert.True(fixture.StatusCache.TryGet(id, out _));

        // Shanghai is UTC+8: the next local midnight is 16:00 UTC today or tomorrow.
        var now = fixture.Clock.GetUtcNow();
        var localMidnight = new DateTimeOffset(now.UtcDateTime.Date.AddHours(16), TimeSpan.Zero);
        if (localMidnight <= now)
        {
            localMidnight = localMidnight.AddDays(1);
        }

        fixture.Clock.Advance(localMidnight - now - TimeSpan.FromSeconds(1));
        Assert.True(fixture.StatusCache.TryGet(id, out _));
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(fixture.StatusCache.TryGet(id, out _));
    }

    [Fact]
    public async Task AfterADeactivationThereIsNoEntryAndTheNextActivationAnswers()
    {
        var (id, grain) = Borrower();
        await grain.UpsertAsync(Upsert());
        await grain.GetStatusAsync();

        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        // A call after it reaches the next activation only once the old one has finished deactivating;
        // the history read does not touch the cache. (The deactivation request is itself a call, so the
        // filter drops the entry too; the grain's own removal on deactivation covers idle collection.)
        await grain.GetRecentHistoryAsync();

        Assert.False(fixture.StatusCache.TryGet(id, out _));
        Assert.NotNull(await grain.GetStatusAsync()); // state is still there; the new activation answers
    }

    private static string Json(BorrowerStatus? status) => System.Text.Json.JsonSerializer.Serialize(status);

    private (string Id, IBorrowerGrain Grain) Borrower()
    {
        var id = "sc-" + Guid.NewGuid().ToString("N")[..10];
        return (id, fixture.Grains.GetGrain<IBorrowerGrain>(id));
    }

    private BorrowerUpsert Upsert() => new(
        "+8613812345678", "zh-CN", ["Asia/Shanghai"], "CN",
        [new DebtInput("loan-1", 1500m, "CNY", DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime).AddDays(20))],
        Name: "Li Wei");
}
