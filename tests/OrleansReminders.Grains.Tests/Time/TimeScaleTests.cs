using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Grains.Tests.Borrowers;
using OrleansReminders.Grains.Messaging;
using OrleansReminders.Grains.Time;

namespace OrleansReminders.Grains.Tests.Time;

/// <summary>Runs alone in this assembly: at one business day per real second, CPU taken by other tests delays ticks.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeScale
{
    public const string Name = "Real time scale";
}

/// <summary>The service's own silo configuration with a time scale: real Orleans reminders, a faster clock.</summary>
[Collection(RealTimeScale.Name)]
public sealed class TimeScaleTests
{
    [Fact]
    public async Task AtOneBusinessDayPerSecondAWholeLadderRunsOnRealRemindersWithinPolicy()
    {
        var settings = TestSilo.Settings("scaled", postgreSql: null);
        settings.TimeScale = 86_400;
        await using var silo = await TestSilo.StartAsync(settings);
        var host = silo.Host;
        var clock = host.Services.GetRequiredService<ScaledTimeProvider>();
        var dispatcher = host.Services.GetRequiredService<RecordingMessageDispatcher>();
        var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IBorrowerGrain>("scaled-1");
        var due = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(2);

        // The business clock starts at the real now and runs a month ahead: region US (its calendar is computed by rule
        // and covers every date) under the CN jurisdiction's rules, so the run never reaches an uncovered date.
        var accepted = await grain.UpsertAsync(new BorrowerUpsert("+8613812345678", "zh-CN", ["Asia/Shanghai"], "US",
            [new DebtInput("loan-1", 900m, "CNY", due)], Jurisdiction: "CN", Risk: new RiskInput(0.8m, 3)));
        var started = DateTime.UtcNow;
        while (!dispatcher.For("scaled-1").Any(m => m.Channel == MessageChannel.Call) && DateTime.UtcNow - started < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        var realSeconds = (DateTime.UtcNow - started).TotalSeconds;
        var history = await grain.GetRecentHistoryAsync();
        var status = await grain.GetStatusAsync();
        await host.StopAsync();

        // The ladder reached the call task (overdue SMS unanswered until the ladder ran out) in about a month of business time
        // and a few tens of real seconds; every message went out inside the policy at its business instant.
        Assert.True(accepted.IsAccepted);
        var stages = history.Events.Where(e => e.Kind == "message.sent").Select(e => e.Stage).ToList();
        Assert.True(dispatcher.For("scaled-1").Any(m => m.Channel == MessageChannel.Call),
            $"after {realSeconds:0.0} s real ({realSeconds:0} business days): {string.Join(", ", stages)}");
        Assert.Equal(1, status!.EscalationLevel);
        // How many SMS went out before the call depends on how late ticks fire on a busy machine (a late
        // tick skips a step whose date passed); at least one did, and none was answered.
        Assert.True(status.Counts.ConsecutiveUnanswered >= 1, "stages: " + string.Join(", ", stages));
        Assert.Equal(stages.Distinct().Count(), stages.Count);
        PolicyAudit.EveryMessageWasAllowed(history.Events,
            new ContactProfile { TimeZoneIds = ["Asia/Shanghai"], Region = "US", Jurisdiction = "CN" });
    }
}
