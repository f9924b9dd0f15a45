using System.Text.Json;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Strategy;

/// <summary>Turns strategy JSON into a <see cref="CollectionStrategy"/>, collecting every problem with its path.</summary>
internal static class StrategyParser
{
    private const int MinOffsetDays = -365;
    private const int MaxOffsetDays = 365;
    private const int MaxDays = 365;

    private static readonly string[] TierNames = Enum.GetNames<RiskTier>().Select(JsonConfigReader.CamelCase).ToArray();

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static CollectionStrategy Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new DomainValidationException([new FieldError("$", "the strategy JSON is empty")]);
        }

        using var document = ParseDocument(json);
        var reader = new JsonConfigReader();
        var strategy = ReadRoot(reader, document.RootElement);
        if (reader.Errors.Count > 0 || strategy is null)
        {
            throw new DomainValidationException(reader.Errors);
        }

        return strategy;
    }

    private static JsonDocument ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException exception)
        {
            var line = (exception.LineNumber ?? 0) + 1;
            var position = (exception.BytePositionInLine ?? 0) + 1;
            var reason = exception.Message.Split([" Path:", " LineNumber:"], StringSplitOptions.None)[0].Trim();
            throw new DomainValidationException(
                [new FieldError("$", $"invalid JSON at line {line}, position {position}: {reason}")]);
        }
    }

    private static CollectionStrategy? ReadRoot(JsonConfigReader reader, JsonElement root)
    {
        if (!reader.Object(root, "", "description", "newCustomerBufferDays", "unansweredEscalation", "segments", "tiers", "contactPolicy"))
        {
            return null;
        }

        var buffer = reader.Int(root, "", "newCustomerBufferDays", required: false, 0, MaxDays) ?? 0;
        var escalationElement = reader.Property(root, "", "unansweredEscalation", required: true);
        var escalation = escalationElement is { } e ? ReadEscalation(reader, e, "unansweredEscalation") : null;
        var segments = ReadSegments(reader, root);
        var tiers = ReadTiers(reader, root, buffer, escalation);
        var contactPolicy = reader.Property(root, "", "contactPolicy", required: false)?.Clone();
        if (escalation is null || tiers is null)
        {
            return null;
        }

        return new CollectionStrategy(tiers, escalation, segments, buffer, contactPolicy);
    }

    private static Dictionary<RiskTier, TierLadder>? ReadTiers(
        JsonConfigReader reader, JsonElement root, int defaultBuffer, EscalationRule? defaultEscalation)
    {
        if (reader.Property(root, "", "tiers", required: true) is not { } tiersElement
            || !reader.Keyed(tiersElement, "tiers", "tier", TierNames))
        {
            return null;
        }

        var tiers = new Dictionary<RiskTier, TierLadder>();
        foreach (var tier in Enum.GetValues<RiskTier>())
        {
            var name = JsonConfigReader.CamelCase(tier.ToString());
            var path = JsonConfigReader.Join("tiers", name);
            if (reader.Property(tiersElement, "tiers", name, required: true) is { } tierElement
                && ReadTier(reader, tierElement, path, tier, defaultBuffer, defaultEscalation) is { } ladder)
            {
                tiers[tier] = ladder;
            }
        }

        return tiers.Count == Enum.GetValues<RiskTier>().Length ? tiers : null;
    }

    private static TierLadder? ReadTier(
        JsonConfigReader reader, JsonElement element, string path, RiskTier tier, int defaultBuffer, EscalationRule? defaultEscalation)
    {
        if (!reader.Object(element, path, "description", "steps", "newCustomerBufferDays", "unansweredEscalation"))
        {
            return null;
        }

        var buffer = reader.Int(element, path, "newCustomerBufferDays", required: false, 0, MaxDays) ?? defaultBuffer;
        var escalation = reader.Property(element, path, "unansweredEscalation", required: false) is { } e
            ? ReadEscalation(reader, e, JsonConfigReader.Join(path, "unansweredEscalation"))
            : defaultEscalation;
        var steps = ReadSteps(reader, element, path);
        return steps is null || escalation is null ? null : new TierLadder(tier, steps, buffer, escalation);
    }

    private static List<LadderStep>? ReadSteps(JsonConfigReader reader, JsonElement tierElement, string tierPath)
    {
        var path = JsonConfigReader.Join(tierPath, "steps");
        if (reader.Property(tierElement, tierPath, "steps", required: true) is not { } array || !reader.Array(array, path))
        {
            return null;
        }

        if (array.GetArrayLength() == 0)
        {
            reader.Error(path, "must contain at least one step");
            return null;
        }

        var steps = new List<LadderStep>();
        int? previousOffset = null;
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var step = ReadStep(reader, item, JsonConfigReader.Index(path, index), previousOffset);
            previousOffset = step?.OffsetDays ?? previousOffset;
            if (step is not null)
            {
                steps.Add(step);
            }

            index++;
        }

        return steps.Count == index ? steps : null;
    }

    private static LadderStep? ReadStep(JsonConfigReader reader, JsonElement element, string path, int? previousOffset)
    {
        if (!reader.Object(element, path, "offsetDays", "channel", "templateKey", "countsAsUnanswered", "urgency", "weeklyCapExempt"))
        {
            return null;
        }

        var offset = reader.Int(element, path, "offsetDays", required: true, MinOffsetDays, MaxOffsetDays);
        if (offset < previousOffset)
        {
            reader.Error(JsonConfigReader.Join(path, "offsetDays"), $"must be ≥ previous step ({previousOffset})");
            offset = null;
        }

        var channel = reader.Enum<Channel>(element, path, "channel", required: true, "channel");
        var templateKey = reader.String(element, path, "templateKey", required: true);
        var counts = reader.Bool(element, path, "countsAsUnanswered", required: false) ?? false;
        var urgency = reader.Enum<StepUrgency>(element, path, "urgency", required: false, "urgency");
        var exempt = reader.Bool(element, path, "weeklyCapExempt", required: false);
        if (offset is null || channel is null || templateKey is null || (urgency is null && element.TryGetProperty("urgency", out _)))
        {
            return null;
        }

        return new LadderStep(offset.Value, channel.Value, templateKey, counts, urgency ?? StepUrgency.Normal, exempt);
    }

    private static EscalationRule? ReadEscalation(JsonConfigReader reader, JsonElement element, string path)
    {
        if (!reader.Object(element, path, "threshold", "steps", "escalateWhenLadderExhausted"))
        {
            return null;
        }

        var threshold = reader.Int(element, path, "threshold", required: false, 1, 50);
        var thresholdBroken = element.TryGetProperty("threshold", out _) && threshold is null;

        // Read the steps even when the threshold is broken, so every problem is reported at once.
        var exhausted = reader.Bool(element, path, "escalateWhenLadderExhausted", required: false) ?? true;
        var steps = ReadEscalationSteps(reader, element, path);
        return steps is null || thresholdBroken
            ? null
            : new EscalationRule(threshold ?? EscalationRule.DefaultUnansweredThreshold, steps, exhausted);
    }

    private static List<EscalationStep>? ReadEscalationSteps(JsonConfigReader reader, JsonElement element, string rulePath)
    {
        var path = JsonConfigReader.Join(rulePath, "steps");
        if (reader.Property(element, rulePath, "steps", required: true) is not { } array || !reader.Array(array, path))
        {
            return null;
        }

        if (array.GetArrayLength() == 0)
        {
            reader.Error(path, "must name at least one escalation step (e.g. a call task)");
            return null;
        }

        var steps = new List<EscalationStep>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (ReadEscalationStep(reader, item, JsonConfigReader.Index(path, index)) is { } step)
            {
                steps.Add(step);
            }

            index++;
        }

        return steps.Count == index ? steps : null;
    }

    private static EscalationStep? ReadEscalationStep(JsonConfigReader reader, JsonElement element, string path)
    {
        if (!reader.Object(element, path, "channel", "templateKey", "daysAfterPrevious", "urgency"))
        {
            return null;
        }

        var channel = reader.Enum<Channel>(element, path, "channel", required: true, "channel");
        var templateKey = reader.String(element, path, "templateKey", required: true);
        var days = reader.Int(element, path, "daysAfterPrevious", required: false, 0, MaxDays);
        var urgency = reader.Enum<StepUrgency>(element, path, "urgency", required: false, "urgency");
        var broken = (days is null && element.TryGetProperty("daysAfterPrevious", out _))
            || (urgency is null && element.TryGetProperty("urgency", out _));
        if (channel is null || templateKey is null || broken)
        {
            return null;
        }

        return new EscalationStep(channel.Value, templateKey, days ?? 0, urgency ?? StepUrgency.Urgent);
    }

    private static Dictionary<PaymentSegment, SegmentSettings> ReadSegments(JsonConfigReader reader, JsonElement root)
    {
        var segments = new Dictionary<PaymentSegment, SegmentSettings>();
        var names = Enum.GetNames<PaymentSegment>().Select(JsonConfigReader.CamelCase).ToArray();
        if (reader.Property(root, "", "segments", required: false) is not { } element
            || !reader.Keyed(element, "segments", "segment", names))
        {
            return segments;
        }

        foreach (var segment in Enum.GetValues<PaymentSegment>())
        {
            var name = JsonConfigReader.CamelCase(segment.ToString());
            var path = JsonConfigReader.Join("segments", name);
            if (reader.Property(element, "segments", name, required: false) is { } item
                && reader.Object(item, path, "overdueGapPercent", "toneVariant"))
            {
                var percent = reader.Int(item, path, "overdueGapPercent", required: false, 50, 400) ?? 100;
                var tone = reader.String(item, path, "toneVariant", required: false);
                segments[segment] = new SegmentSettings(percent, tone);
            }
        }

        return segments;
    }
}
