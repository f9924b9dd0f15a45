namespace OrleansReminders.Contracts.Dispatching;

/// <summary>The borrower's risk tier on the wire (the twin of the domain's risk tier; same names, same order).</summary>
[GenerateSerializer, Alias("OrleansReminders.Tier")]
public enum Tier
{
    Low,
    Medium,
    High,
}
