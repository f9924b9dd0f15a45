using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Domain.Tests.Strategy;

/// <summary>Builds strategy JSON variants from the shipped default for tests.</summary>
internal static class StrategyJson
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip };

    public static JsonObject DefaultNode() =>
        JsonNode.Parse(CollectionStrategy.DefaultJson, documentOptions: Options)!.AsObject();

    public static string Mutate(Action<JsonObject> change)
    {
        var node = DefaultNode();
        change(node);
        return node.ToJsonString();
    }

    public static JsonObject Step(JsonObject root, string tier, int index) =>
        root["tiers"]![tier]!["steps"]![index]!.AsObject();

    public static IReadOnlyList<FieldError> Errors(string json) =>
        Assert.Throws<DomainValidationException>(() => CollectionStrategy.Parse(json)).Errors;
}
