using System.Text.Json.Nodes;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Domain.Tests.Strategy;

public sealed class CollectionStrategyValidationTests
{
    [Fact]
    public void OffsetBelowPreviousStepNamesPathAndPreviousOffset()
    {
        var json = StrategyJson.Mutate(root =>
        {
            StrategyJson.Step(root, "high", 3)["offsetDays"] = 3;
            StrategyJson.Step(root, "high", 4)["offsetDays"] = 1;
        });

        var error = Assert.Single(StrategyJson.Errors(json));

        Assert.Equal("tiers.high.steps[4].offsetDays: must be ≥ previous step (3)", error.ToString());
    }

    [Fact]
    public void EqualOffsetsAreAllowed()
    {
        var json = StrategyJson.Mutate(root => StrategyJson.Step(root, "high", 4)["offsetDays"] = 3);

        var strategy = CollectionStrategy.Parse(json);

        Assert.Equal(3, strategy.LadderFor(RiskTier.High).Steps[4].OffsetDays);
    }

    [Fact]
    public void DuplicatePropertyIsReported()
    {
        var json = StrategyJson.Mutate(_ => { }).Replace("\"newCustomerBufferDays\":5", "\"newCustomerBufferDays\":5,\"newCustomerBufferDays\":6");

        Assert.Equal("newCustomerBufferDays: appears more than once", Assert.Single(StrategyJson.Errors(json)).ToString());
    }

    [Fact]
    public void UnknownChannelIsReported()
    {
        var json = StrategyJson.Mutate(root => StrategyJson.Step(root, "medium", 2)["channel"] = "fax");

        var error = Assert.Single(StrategyJson.Errors(json));

        Assert.Equal("tiers.medium.steps[2].channel", error.Path);
        Assert.Equal("unknown channel 'fax' (expected sms, email, call, agency)", error.Message);
    }

    [Fact]
    public void NumericChannelIsNotAcceptedAsEnumValue()
    {
        var json = StrategyJson.Mutate(root => StrategyJson.Step(root, "medium", 2)["channel"] = "1");

        Assert.Equal("tiers.medium.steps[2].channel", Assert.Single(StrategyJson.Errors(json)).Path);
    }

    [Fact]
    public void MissingTemplateKeyIsReported()
    {
        var json = StrategyJson.Mutate(root => StrategyJson.Step(root, "low", 1).Remove("templateKey"));

        var error = Assert.Single(StrategyJson.Errors(json));

        Assert.Equal("tiers.low.steps[1].templateKey: is required", error.ToString());
    }

    [Fact]
    public void BlankTemplateKeyIsReported()
    {
        var json = StrategyJson.Mutate(root => StrategyJson.Step(root, "low", 1)["templateKey"] = "  ");

        Assert.Equal("tiers.low.steps[1].templateKey: must not be empty", Assert.Single(StrategyJson.Errors(json)).ToString());
    }

    [Fact]
    public void UnknownTierNameIsReported()
    {
        var json = StrategyJson.Mutate(root => root["tiers"]!["urgent"] = new JsonObject());

        var error = Assert.Single(StrategyJson.Errors(json));

        Assert.Equal("tiers.urgent", error.Path);
        Assert.StartsWith("unknown tier 'urgent'", error.Message);
    }

    [Fact]
    public void MissingTierIsReported()
    {
        var json = StrategyJson.Mutate(root => root["tiers"]!.AsObject().Remove("medium"));

        Assert.Equal("tiers.medium: is required", Assert.Single(StrategyJson.Errors(json)).ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void ThresholdBelowOneIsReported(int threshold)
    {
        var json = StrategyJson.Mutate(root => root["unansweredEscalation"]!["threshold"] = threshold);

        var error = Assert.Single(StrategyJson.Errors(json));

        Assert.Equal("unansweredEscalation.threshold", error.Path);
        Assert.Equal($"must be between 1 and 50 (was {threshold})", error.Message);
    }

    [Fact]
    public void EscalationWithoutStepsIsReported()
    {
        var json = StrategyJson.Mutate(root => root["unansweredEscalation"]!["steps"] = new JsonArray());

        Assert.Equal("unansweredEscalation.steps", Assert.Single(StrategyJson.Errors(json)).Path);
    }

    [Fact]
    public void EmptyLadderIsReported()
    {
        var json = StrategyJson.Mutate(root => root["tiers"]!["low"]!["steps"] = new JsonArray());

        Assert.Equal("tiers.low.steps: must contain at least one step", Assert.Single(StrategyJson.Errors(json)).ToString());
    }

    [Fact]
    public void UnknownUrgencyAndWrongTypesAreReported()
    {
        var json = StrategyJson.Mutate(root =>
        {
            StrategyJson.Step(root, "low", 0)["urgency"] = "panic";
            StrategyJson.Step(root, "low", 1)["offsetDays"] = "soon";
            StrategyJson.Step(root, "low", 2)["countsAsUnanswered"] = "yes";
        });

        var paths = StrategyJson.Errors(json).Select(error => error.Path).ToList();

        Assert.Equal(["tiers.low.steps[0].urgency", "tiers.low.steps[1].offsetDays", "tiers.low.steps[2].countsAsUnanswered"], paths);
    }

    [Fact]
    public void MisspelledPropertyIsReported()
    {
        var json = StrategyJson.Mutate(root => StrategyJson.Step(root, "high", 0)["ofsetDays"] = 1);

        Assert.Equal("tiers.high.steps[0].ofsetDays", Assert.Single(StrategyJson.Errors(json)).Path);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var json = StrategyJson.Mutate(root =>
        {
            root["unansweredEscalation"]!["threshold"] = 0;
            root["tiers"]!["extreme"] = new JsonObject();
            StrategyJson.Step(root, "low", 4)["offsetDays"] = 2;
            StrategyJson.Step(root, "medium", 0)["channel"] = "pigeon";
            StrategyJson.Step(root, "high", 1).Remove("templateKey");
            root["segments"]!["onTime"]!["overdueGapPercent"] = 1000;
        });

        var paths = StrategyJson.Errors(json).Select(error => error.Path).Order().ToList();

        Assert.Equal(
            [
                "segments.onTime.overdueGapPercent",
                "tiers.extreme",
                "tiers.high.steps[1].templateKey",
                "tiers.low.steps[4].offsetDays",
                "tiers.medium.steps[0].channel",
                "unansweredEscalation.threshold",
            ],
            paths);
    }

    [Fact]
    public void SyntaxErrorNamesLineAndPosition()
    {
        const string json = "{\n  \"tiers\": {\n    \"low\": [1,,]\n  }\n}";

        var error = Assert.Single(StrategyJson.Errors(json));

        Assert.Equal("$", error.Path);
        Assert.StartsWith("invalid JSON at line 3, position 15:", error.Message);
    }

    [Fact]
    public void EmptyTextIsReported()
    {
        Assert.Equal("$", Assert.Single(StrategyJson.Errors(" ")).Path);
    }

    [Fact]
    public void ExceptionMessageListsOneLinePerProblem()
    {
        var json = StrategyJson.Mutate(root =>
        {
            StrategyJson.Step(root, "low", 0)["channel"] = "fax";
            StrategyJson.Step(root, "low", 1)["channel"] = "telex";
        });

        var exception = Assert.Throws<DomainValidationException>(() => CollectionStrategy.Parse(json));

        Assert.Equal(2, exception.Message.Split(Environment.NewLine).Length);
    }
}
