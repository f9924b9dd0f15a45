using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Configuration;

namespace OrleansReminders.Domain.Tests.Configuration;

public sealed class CollectionConfigurationTests
{
    [Fact]
    public void ShippedDefaultParsesWithDefaultContactPolicy()
    {
        var configuration = CollectionConfiguration.Default;

        Assert.Equal(3, configuration.Strategy.Escalation.UnansweredThreshold);
        Assert.Equal(new LocalTime(9, 0), configuration.ContactPolicy.PreferredWindow.Start);
        Assert.Equal(new LocalTime(17, 0), configuration.ContactPolicy.PreferredWindow.End);
    }

    [Fact]
    public void ContactPolicySectionOverridesTheDefaults()
    {
        var json = WithContactPolicy("""{ "preferredWindow": { "start": "10:00", "end": "16:00" } }""");

        var configuration = CollectionConfiguration.Parse(json);

        Assert.Equal(new LocalTime(10, 0), configuration.ContactPolicy.PreferredWindow.Start);
        Assert.Equal(new LocalTime(16, 0), configuration.ContactPolicy.PreferredWindow.End);
    }

    [Fact]
    public void ProblemsInTheStrategyAndInItsContactPolicyAreReportedTogether()
    {
        var json = WithContactPolicy("""{ "channels": { "sms": { "perDay": -1 } } }""")
            .Replace("\"threshold\": 3", "\"threshold\": 0", StringComparison.Ordinal);

        var error = Assert.Throws<DomainValidationException>(() => CollectionConfiguration.Parse(json));

        Assert.Contains(error.Errors, e => e.Path == "unansweredEscalation.threshold");
        Assert.Contains(error.Errors, e => e.Path.StartsWith("contactPolicy.channels.sms.perDay", StringComparison.Ordinal));
    }

    [Fact]
    public void ASyntaxErrorIsOneErrorWithItsPosition()
    {
        var error = Assert.Throws<DomainValidationException>(() => CollectionConfiguration.Parse("{ \"tiers\": [ }"));

        var only = Assert.Single(error.Errors);
        Assert.Contains("line", only.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static string WithContactPolicy(string section)
    {
        var json = OrleansReminders.Domain.Strategy.CollectionStrategy.DefaultJson;
        var open = json.IndexOf('{', StringComparison.Ordinal);
        return json[..(open + 1)] + $" \"contactPolicy\": {section}," + json[(open + 1)..];
    }
}
