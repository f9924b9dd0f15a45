namespace OrleansReminders.Domain.Strategy;

/// <summary>How pressing a ladder or escalation step is. Urgent steps may exceed the weekly cap by default.</summary>
public enum StepUrgency
{
    Normal,
    Urgent,
}
