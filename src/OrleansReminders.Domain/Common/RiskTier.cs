namespace OrleansReminders.Domain.Common;

/// <summary>Risk tier of a borrower: picks the escalation ladder and the tone of every message.</summary>
public enum RiskTier
{
    Low,
    Medium,
    High,
}
