using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Grains.Dispatching;
using OrleansReminders.PostgreSql.Tests.Infrastructure;

namespace OrleansReminders.PostgreSql.Tests.Dispatching;

/// <summary>
/// The delivery guarantee under crashes: a silo is killed (not stopped) while its dispatcher holds a
/// borrower's message at each step of the send path. Afterwards every message is sent — at the shared
/// provider, exactly once by key — and its borrower has it as sent, with nothing still pending.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class SendPathFaultTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(FaultPoint.BeforeLease)]
    [InlineData(FaultPoint.AfterLease)]
    [InlineData(FaultPoint.AfterProviderAccepted)]
    [InlineData(FaultPoint.BeforeAcceptanceRecorded)]
    public async Task ADispatcherSiloKilledAtAnyStepLosesNothingAndSendsNothingTwice(FaultPoint point)
    {
        await using var fixture = await SendPathClusterFixture.StartAsync();
        var id = SendPathClusterFixture.BorrowerFor("0", "fp-" + point.ToString().ToLowerInvariant());
        var hit = fixture.Faults.Arm(point, key => key.StartsWith(id + ":", StringComparison.Ordinal));

        await UpsertAsync(fixture, id);
        await hit.WaitAsync(TimeSpan.FromSeconds(30));
        var silo = await fixture.SiloOfDispatcherAsync("0");
        await fixture.KillAsync(silo);

        await SentOnceAsync(fixture, [id]);
    }

    [Fact]
    public async Task ADispatcherSiloKilledWhileHandingBackLosesNothingAndSendsNothingTwice()
    {
        await using var fixture = await SendPathClusterFixture.StartAsync();
        var id = SendPathClusterFixture.BorrowerFor("1", "fp-handback");
        fixture.Provider.Throttle = key => key.StartsWith(id + ":", StringComparison.Ordinal); // it waits in the queue
        try
        {
            await UpsertAsync(fixture, id);
            await Eventually.WaitForAsync(() => Task.FromResult(fixture.Provider.Attempts(id)), n => n > 0, TimeSpan.FromSeconds(30), "a first attempt");
            var hit = fixture.Faults.Arm(FaultPoint.DuringHandBack, key => key.StartsWith(id + ":", StringComparison.Ordinal));
            var silo = await fixture.SiloOfDispatcherAsync("1");

            var stopping = fixture.Cluster.StopSiloAsync(silo); // in order: the dispatcher hands back what it holds ...
            await hit.WaitAsync(TimeSpan.FromSeconds(30));
            fixture.Provider.Throttle = null;
            _ = stopping.ContinueWith(_ => { }, TaskScheduler.Default);
            await fixture.KillAsync(silo); // ... and dies half-way

            await SentOnceAsync(fixture, [id]);
        }
        finally
        {
            fixture.Provider.Throttle = null;
        }
    }

    /// <summary>A silo is killed while its dispatcher holds a queue of 30 messages: every one is sent afterwards, none twice.</summary>
    [Fact]
    public async Task KillingTheSiloOfADispatcherWithAQueueLosesNoneAndSendsNoneTwice()
    {
        await using var fixture = await SendPathClusterFixture.StartAsync();
        var ids = Enumerable.Range(0, 30).Select(_ => SendPathClusterFixture.BorrowerFor("0", "queue")).ToList();
        await Task.WhenAll(ids.Select(id => UpsertAsync(fixture, id)));
        await Eventually.WaitForAsync(() => Task.FromResult(ids.Count(id => fixture.Provider.AcceptedWith(id + ":").Count > 0)), n => n >= 3,
            TimeSpan.FromSeconds(30), "the first sends");
        var silo = await fixture.SiloOfDispatcherAsync("0");
        var held = (await fixture.Grains.GetGrain<Contracts.Dispatching.IDispatcherGrain>("0").GetStatsAsync()).Queued;

        await fixture.KillAsync(silo);

        Assert.True(held > 0, "the dispatcher held a queue when its silo was killed");
        await SentOnceAsync(fixture, ids);
    }

    /// <summary>Upserts, retrying while a silo that replaced a killed one still loads its reminders (a refused call leaves no trace).</summary>
    private static async Task UpsertAsync(SendPathClusterFixture fixture, string id)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await fixture.Grains.GetGrain<IBorrowerGrain>(id).UpsertAsync(SendPathClusterFixture.OverdueBorrower());
                return;
            }
            catch (OrleansException) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    /// <summary>
    /// Waits for each borrower's message to be sent: a borrower whose lease timer died with its silo is
    /// woken as its next reminder tick would (WakeAsync re-plans; it is what the tick does).
    /// </summary>
    private static async Task SentOnceAsync(SendPathClusterFixture fixture, IReadOnlyList<string> ids)
    {
        var deadline = DateTime.UtcNow + Patience;
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (done.Count < ids.Count && DateTime.UtcNow < deadline)
        {
            foreach (var id in ids.Where(i => !done.Contains(i)))
            {
                try
                {
                    var grain = fixture.Grains.GetGrain<IBorrowerGrain>(id);
                    await grain.WakeAsync();
                    if ((await grain.GetStatusAsync()) is { Counts.Sent: 1, PendingMessages: 0 })
                    {
                        done.Add(id);
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The dead silo is not declared dead yet: its grains cannot be reached for a few seconds.
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        await Task.Delay(TimeSpan.FromSeconds(1)); // a late second send would show now
        foreach (var id in ids)
        {
            var sends = fixture.Provider.AcceptedWith(id + ":");
            var status = await fixture.Grains.GetGrain<IBorrowerGrain>(id).GetStatusAsync();
            Assert.True(sends.Count == 1, $"{id}: {sends.Count} keys at the provider");
            Assert.Equal(1, sends.Single().Value);
            Assert.Equal(1, status!.Counts.Sent);
            Assert.Equal(0, status.PendingMessages);
        }
    }
}
