using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Grains.Time;

namespace OrleansReminders.Grains.Tests.Hosting;

/// <summary>Each silo's pool comes from the cluster's connection budget; silos started apart agree on business time.</summary>
public sealed class ClusterBudgetAndClockTests
{
    [Fact]
    public void ThePoolIsTheBudgetSharedByTheExpectedSilosUnlessTheConnectionStringSetsOne()
    {
        var settings = new ClusterSettings();
        const string plain = "Host=127.0.0.1;Database=x";

        var derived = new NpgsqlConnectionStringBuilder(PostgreSqlPool.WithSiloDefaults(plain, settings.DerivedPoolSize)).MaxPoolSize;
        var given = new NpgsqlConnectionStringBuilder(PostgreSqlPool.WithSiloDefaults(plain + ";Maximum Pool Size=48", settings.DerivedPoolSize)).MaxPoolSize;

        Assert.Equal((80, 4, 20), (settings.ConnectionBudget, settings.ExpectedSilos, derived));
        Assert.Equal(48, given);
        Assert.Equal(2, new ClusterSettings { ConnectionBudget = 3, ExpectedSilos = 4 }.DerivedPoolSize);
    }

    [Fact]
    public void FourSilosOnTheDefaultsFitADefaultServerAndFourPoolsOfTheDriverDefaultDoNot()
    {
        var settings = new ClusterSettings();

        Assert.False(ConnectionBudgetCheck.Exceeds(4, settings.DerivedPoolSize, available: 97));
        Assert.True(ConnectionBudgetCheck.Exceeds(4, 100, available: 97));
    }

    [Fact]
    public void TwoSilosStartedHoursApartReadTheSameBusinessTimeFromASharedOrigin()
    {
        var real = new FakeTimeProvider(new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var origin = real.GetUtcNow();
        const double scale = 1440;
        var first = new ScaledTimeProvider(real, scale, ServiceClock.BusinessAt(origin, real.GetUtcNow(), scale));

        real.Advance(TimeSpan.FromHours(3));
        var second = new ScaledTimeProvider(real, scale, ServiceClock.BusinessAt(origin, real.GetUtcNow(), scale));
        real.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(origin + TimeSpan.FromMinutes((180 + 1) * scale), second.GetUtcNow());
        Assert.True((first.GetUtcNow() - second.GetUtcNow()).Duration() < TimeSpan.FromSeconds(1), $"{first.GetUtcNow():O} vs {second.GetUtcNow():O}");
    }
}
