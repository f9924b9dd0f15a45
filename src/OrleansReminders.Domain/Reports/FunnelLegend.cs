using System.Globalization;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Domain.Reports;

/// <summary>A report's stage name and what it means under the strategy in force.</summary>
public sealed record StageMeaning(string Stage, string Meaning);

/// <summary>
/// Explains the funnel's stage names and variants from the strategy itself: <c>L</c>n is the n-th step of the
/// tier's ladder (days from the due date, which may differ per tier), <c>E</c>n the n-th escalation stage (a
/// call task or an agency hand-off: a task for people, not an SMS), a variant the tone of a payment segment.
/// </summary>
public static class FunnelLegend
{
    private static readonly RiskTier[] Tiers = Enum.GetValues<RiskTier>();

    /// <summary>The meaning of each of <paramref name="stages"/> (once each, ladder steps before escalations); unknown names are said to be so.</summary>
    public static IReadOnlyList<StageMeaning> Stages(CollectionStrategy strategy, IEnumerable<string> stages) =>
        [.. stages.Distinct(StringComparer.Ordinal).OrderBy(Funnel.StageOrder).Select(stage => new StageMeaning(stage, Describe(strategy, stage)))];

    /// <summary>What the variants stand for, e.g. "gentle = on-time payers (overdue days × 1.5: D+3 → D+5), …".</summary>
    public static string Variants(CollectionStrategy strategy)
    {
        var parts = new List<string>();
        foreach (var segment in (PaymentSegment[])[PaymentSegment.OnTime, PaymentSegment.RepeatDelinquent, PaymentSegment.Standard])
        {
            var settings = strategy.SettingsFor(segment);
            var stretch = settings.OverdueGapPercent == 100 ? ""
                : string.Create(CultureInfo.InvariantCulture, $" (overdue days × {settings.OverdueGapPercent / 100.0:0.##}: D+3 → {Offset(settings.ScaleOffset(3))})");
            parts.Add($"{settings.ToneVariant ?? "default"} = {SegmentName(segment)}{stretch}");
        }

        return string.Join(", ", parts);
    }

    private static string Describe(CollectionStrategy strategy, string stage)
    {
        if (stage.Length < 2 || !int.TryParse(stage.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return "not a stage of the strategy";
        }

        return stage[0] switch
        {
            'L' => LadderStep(strategy, index),
            'E' => EscalationStage(strategy, index),
            _ => "not a stage of the strategy",
        };
    }

    /// <summary>"overdue SMS, D+7 (low), D+3 (medium, high)": the step's kind and its day per tier.</summary>
    private static string LadderStep(CollectionStrategy strategy, int index)
    {
        var steps = Tiers.Where(t => strategy.LadderFor(t).Steps.Count > index).Select(t => (Tier: t, Step: strategy.LadderFor(t).Steps[index])).ToList();
        if (steps.Count == 0)
        {
            return "not a step of any tier's ladder";
        }

        return string.Join("; ", steps.GroupBy(s => Kind(s.Step.OffsetDays) + " " + ChannelName(s.Step.Channel)).Select(kind =>
            kind.Key + ", " + string.Join(", ", kind.GroupBy(s => s.Step.OffsetDays).Select(day =>
                Offset(day.Key) + (day.Count() == Tiers.Length ? "" : $" ({TierList(day.Select(s => s.Tier))})")))));
    }

    /// <summary>"call task (not an SMS: counted under tasks), 2 days after the last contact, once …".</summary>
    private static string EscalationStage(CollectionStrategy strategy, int index)
    {
        var stages = Tiers.Where(t => strategy.LadderFor(t).Escalation.Steps.Count > index).Select(t => (Tier: t, Rule: strategy.LadderFor(t).Escalation)).ToList();
        if (stages.Count == 0)
        {
            return "not an escalation stage of any tier";
        }

        return string.Join("; ", stages.GroupBy(s => Escalation(s.Rule, index)).Select(g =>
            g.Key + (g.Count() == Tiers.Length ? "" : $" ({TierList(g.Select(s => s.Tier))})")));
    }

    private static string Escalation(EscalationRule rule, int index)
    {
        var step = rule.Steps[index];
        var what = Funnel.IsTask(step.Channel.ToString()) ? $"{ChannelName(step.Channel)} (not an SMS: counted under tasks)" : ChannelName(step.Channel);
        var when = string.Create(CultureInfo.InvariantCulture, $"{step.DaysAfterPrevious} days after the last contact");
        var trigger = index > 0 ? ""
            : string.Create(CultureInfo.InvariantCulture, $", once {rule.UnansweredThreshold} overdue SMS in a row went unanswered")
                + (rule.EscalateWhenLadderExhausted ? " or the ladder ran out" : "");
        return $"{what}, {when}{trigger}";
    }

    private static string Kind(int offsetDays) => offsetDays switch
    {
        < 0 => "pre-due",
        0 => "due-day",
        _ => "overdue",
    };

    private static string ChannelName(Channel channel) => channel switch
    {
        Channel.Sms => "SMS",
        Channel.Email => "email",
        Channel.Call => "call task for an agent",
        Channel.Agency => "agency hand-off",
        _ => channel.ToString(),
    };

    private static string SegmentName(PaymentSegment segment) => segment switch
    {
        PaymentSegment.OnTime => "on-time payers",
        PaymentSegment.RepeatDelinquent => "repeat delinquents",
        _ => "other borrowers",
    };

    private static string Offset(int days) => "D" + days.ToString("+0;-0;+0", CultureInfo.InvariantCulture);

    private static string TierList(IEnumerable<RiskTier> tiers) => string.Join(", ", tiers.Select(t => t.ToString().ToLowerInvariant()));
}
