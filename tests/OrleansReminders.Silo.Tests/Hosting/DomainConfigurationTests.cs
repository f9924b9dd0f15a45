using Microsoft.Extensions.Configuration;
using OrleansReminders.Silo.Hosting;

namespace OrleansReminders.Silo.Tests.Hosting;

public sealed class DomainConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansreminders-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void WithoutAStrategyPathTheShippedDefaultIsUsed()
    {
        var (configuration, tiering) = DomainConfiguration.Load(Config(), _folder);

        Assert.Equal(3, configuration.Strategy.Escalation.UnansweredThreshold);
        Assert.Equal(60, tiering.HighFrom);
    }

    [Fact]
    public void AnInvalidStrategyFileStopsStartUpWithOneLinePerProblem()
    {
        File.WriteAllText(Path.Combine(_folder, "strategy.json"), """
            {
              "unansweredEscalation": { "threshold": 0, "steps": [ { "channel": "fax", "templateKey": "x", "daysAfterPrevious": 1 } ] },
              "tiers": { "low": { "steps": [] } }
            }
            """);

        var error = Assert.Throws<InvalidOperationException>(() =>
            DomainConfiguration.Load(Config(("Strategy:Path", "strategy.json"), ("Tiering:HighFrom", "10")), _folder));

        Assert.Contains("strategy.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("unansweredEscalation.threshold:", error.Message, StringComparison.Ordinal);
        Assert.Contains("unansweredEscalation.steps[0].channel:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Tiering.", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Split('\n').Length >= 4, error.Message);
    }

    [Fact]
    public void AMissingStrategyFileIsNamed()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            DomainConfiguration.Load(Config(("Strategy:Path", "nowhere.json")), _folder));

        Assert.Contains("Strategy:Path: file", error.Message, StringComparison.Ordinal);
        Assert.Contains("nowhere.json", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
