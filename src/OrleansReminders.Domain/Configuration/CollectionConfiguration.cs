using System.Text.Json;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Domain.Configuration;

/// <summary>
/// The one configuration document of the product: the collection strategy (ladders per tier, escalation,
/// segments) with its <c>contactPolicy</c> section (allowed hours, caps, gaps). Parsed and validated as a
/// whole, so a bad document is reported with every problem at once, each under its JSON path.
/// </summary>
public sealed record CollectionConfiguration(CollectionStrategy Strategy, ContactPolicySettings ContactPolicy)
{
    /// <summary>Path prefix of the contact-policy section in error messages.</summary>
    public const string ContactPolicyPath = "contactPolicy";

    private static readonly JsonDocumentOptions Lenient = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly Lazy<CollectionConfiguration> LazyDefault = new(() => Parse(CollectionStrategy.DefaultJson));

    /// <summary>The shipped default (DESIGN.md numbers).</summary>
    public static CollectionConfiguration Default => LazyDefault.Value;

    /// <summary>Parses and validates a configuration document.</summary>
    /// <exception cref="DomainValidationException">Every problem of the strategy and of its contact policy.</exception>
    public static CollectionConfiguration Parse(string json)
    {
        var errors = new List<FieldError>();
        CollectionStrategy? strategy = null;
        try
        {
            strategy = CollectionStrategy.Parse(json);
        }
        catch (DomainValidationException invalid)
        {
            errors.AddRange(invalid.Errors);
        }

        var policy = ContactPolicySettings.Default;
        if ((strategy is not null ? strategy.ContactPolicy : ReadContactPolicySection(json)) is { } section)
        {
            var parsed = ContactPolicySettings.FromJson(section, ContactPolicyPath);
            errors.AddRange(parsed.Errors);
            policy = parsed.Value ?? policy;
        }

        return errors.Count == 0
            ? new CollectionConfiguration(strategy!, policy)
            : throw new DomainValidationException(errors);
    }

    /// <summary>The raw section when the strategy itself did not parse, so its errors are reported too.</summary>
    private static JsonElement? ReadContactPolicySection(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, Lenient);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(ContactPolicyPath, out var section)
                    ? section.Clone()
                    : null;
        }
        catch (JsonException)
        {
            return null; // the strategy parser already reported the syntax error with its position
        }
    }
}
