using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Strategy;

/// <summary>
/// One rung of a tier's escalation ladder: what to send, through which channel, how many days from the
/// due date (negative before it, 0 on the due day).
/// </summary>
/// <param name="OffsetDays">Days relative to the due date; steps of a ladder are ordered by this value.</param>
/// <param name="Channel">Channel the step uses.</param>
/// <param name="TemplateKey">Key of the template (stage) to render; the template layer adds tier, locale and variant.</param>
/// <param name="CountsAsUnanswered">Whether a step left without reply adds to the consecutive-unanswered count.</param>
/// <param name="Urgency">Normal or urgent.</param>
/// <param name="WeeklyCapExempt">Explicit weekly-cap exemption; <c>null</c> means "exempt when urgent".</param>
public sealed record LadderStep(
    int OffsetDays,
    Channel Channel,
    string TemplateKey,
    bool CountsAsUnanswered,
    StepUrgency Urgency = StepUrgency.Normal,
    bool? WeeklyCapExempt = null)
{
    /// <summary>Whether this step may exceed the weekly frequency cap (explicit setting, else urgent steps).</summary>
    public bool IsWeeklyCapExempt => WeeklyCapExempt ?? Urgency == StepUrgency.Urgent;
}
