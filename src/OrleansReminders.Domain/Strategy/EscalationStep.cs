using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Strategy;

/// <summary>
/// One stage after the SMS ladder has been abandoned: a phone-call task, a specialist team, an agency hand-off.
/// </summary>
/// <param name="Channel">Channel of the stage (usually <see cref="Channel.Call"/> then <see cref="Channel.Agency"/>).</param>
/// <param name="TemplateKey">Key of the call script, hand-off template or message.</param>
/// <param name="DaysAfterPrevious">Minimum days after the previous action (ladder step or escalation stage).</param>
/// <param name="Urgency">Normal or urgent.</param>
public sealed record EscalationStep(
    Channel Channel,
    string TemplateKey,
    int DaysAfterPrevious,
    StepUrgency Urgency = StepUrgency.Urgent);
