using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Policy;

namespace OrleansReminders.Grains.Tests.Borrowers;

[CollectionDefinition(Name)]
public sealed class ScenarioCluster : ICollectionFixture<BorrowerClusterFixture>
{
    public const string Name = "Scenario cluster";
}

/// <summary>
/// A borrower who never answers runs through the whole ladder on real Orleans reminders driven by the
/// fake clock. Every message is then checked against the contact policy.
/// </summary>
[Collection(ScenarioCluster.Name)]
public sealed class LadderScenarioTests(BorrowerClusterFixture fixture)
{
    [Fact]
    public async Task AnUnansweredBorrowerClimbsTheLadderWithinPolicyAndEscalatesAfterThreeUnanswered()
    {
        var id = "scenario-" + Guid.NewGuid().ToString("N")[..8];
        using var watch = new ReminderWatch(key => key == id);
        var grain = fixture.Grains.GetGrain<IBorrowerGrain>(id);
        var due = DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime).AddDays(5);
        var upsert = new BorrowerUpsert("+8613812345678", "zh-CN", ["Asia/Shanghai"], "CN",
            [new DebtInput("loan-1", 1500m, "CNY", due)], Risk: new RiskInput(0.8m, 3));
        Assert.True((await grain.UpsertAsync(upsert)).IsAccepted);

        for (var hour = 0; hour < 24 * 40; hour++)
        {
            // Never move past a tick the silo has not armed its wait for: Orleans would skip it.
            await watch.WaitSettledAsync(id, TimeSpan.FromSeconds(30));
            fixture.Clock.Advance(TimeSpan.FromHours(1));
            await Task.Delay(5);
            await grain.GetStatusAsync();
        }

        var history = await grain.GetRecentHistoryAsync();
        var sent = history.Events.Where(e => e.Kind == "message.sent").ToList();
        var keys = sent.Select(e => e.Stage).ToList();
        // Medium tier, CN rules (collection days at least 7 days apart): D-3 goes out; D-1, the due day and
        // D+3 fall inside the gap, so a week later only the latest of them (D+3) is sent; D+7 and D+14
        // follow a week apart; three overdue SMS unanswered → the call task (E0), again a week later.
        Assert.Equal(["L0", "L3", "L4", "L5", "E0"], keys);

        PolicyAudit.EveryMessageWasAllowed(history.Events,
            new ContactProfile { TimeZoneIds = ["Asia/Shanghai"], Region = "CN", Jurisdiction = "CN" });

        var status = await grain.GetStatusAsync();
        Assert.Equal("medium", status!.Tier);
        Assert.Equal(1, status.EscalationLevel);
        Assert.Equal(3, status.Counts.ConsecutiveUnanswered);
        Assert.Contains(history.Events, e => e.Kind == "step.skipped" && e.Stage == "L1");
    }
}
