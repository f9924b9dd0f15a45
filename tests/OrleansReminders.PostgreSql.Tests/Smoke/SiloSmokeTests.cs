using OrleansReminders.PostgreSql.Tests.Infrastructure;

namespace OrleansReminders.PostgreSql.Tests.Smoke;

[Collection(PostgreSqlCollection.Name)]
public sealed class SiloSmokeTests
{
    private static readonly TimeSpan TickTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StateWrittenBeforeASiloRestartIsReadBackAfterIt()
    {
        var serviceId = NewServiceId();
        var key = "b-" + Guid.NewGuid().ToString("N")[..12];

        await using (var first = await TestSilo.StartAsync(TestDatabase.ConnectionString, serviceId))
        {
            await first.Grains.GetGrain<ISmokeGrain>(key).WriteAsync("kept across restarts");
            await first.StopAsync();
        }

        await using var second = await TestSilo.StartAsync(TestDatabase.ConnectionString, serviceId);
        var snapshot = await second.Grains.GetGrain<ISmokeGrain>(key).ReadAsync();

        Assert.Equal("kept across restarts", snapshot.Text);
        var rows = await TestDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_storage WHERE service_id = @s AND grain_id_ext = @k",
            ("s", serviceId), ("k", key));
        Assert.Equal(1, rows);
    }

    [Fact]
    public async Task ReminderIsStoredInTheReminderTableAndFires()
    {
        var serviceId = NewServiceId();
        var key = "r-" + Guid.NewGuid().ToString("N")[..12];
        await using var silo = await TestSilo.StartAsync(TestDatabase.ConnectionString, serviceId);
        var grain = silo.Grains.GetGrain<ISmokeGrain>(key);

        await grain.StartReminderAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        var stored = await TestDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminders WHERE service_id = @s AND grain_id LIKE @g AND reminder_name = @n AND period = 1000",
            ("s", serviceId), ("g", "%" + key), ("n", SmokeGrain.ReminderName));
        Assert.Equal(1, stored);

        var fired = await Eventually.WaitForAsync(grain.ReadAsync, s => s.Ticks >= 1, TickTimeout, "the first reminder tick");
        Assert.True(fired.Ticks >= 1);

        await grain.StopReminderAsync();
        var remaining = await TestDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminders WHERE service_id = @s AND grain_id LIKE @g",
            ("s", serviceId), ("g", "%" + key));
        Assert.Equal(0, remaining);
    }

    [Fact]
    public async Task SiloRegistersItselfInTheMembershipTable()
    {
        var serviceId = NewServiceId();
        await using var silo = await TestSilo.StartAsync(TestDatabase.ConnectionString, serviceId);

        var active = await TestDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_membership WHERE deployment_id = @d AND status = 3", ("d", serviceId));
        var version = await TestDatabase.ScalarAsync<int>(
            "SELECT version FROM orleans_membership_version WHERE deployment_id = @d", ("d", serviceId));

        Assert.Equal(1, active);
        Assert.True(version >= 1, $"membership version {version} should have moved past 0");
    }

    [Fact]
    public async Task EmbeddedDefaultStoresStateAndFiresReminders()
    {
        await using var silo = await TestSilo.StartAsync(postgreSql: null, NewServiceId());
        var grain = silo.Grains.GetGrain<ISmokeGrain>("embedded");

        await grain.WriteAsync("in memory");
        await grain.StartReminderAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var snapshot = await Eventually.WaitForAsync(grain.ReadAsync, s => s.Ticks >= 1, TickTimeout, "the first in-memory reminder tick");
        await grain.StopReminderAsync();

        Assert.Equal("in memory", snapshot.Text);
    }

    private static string NewServiceId() => "test-" + Guid.NewGuid().ToString("N")[..10];
}
