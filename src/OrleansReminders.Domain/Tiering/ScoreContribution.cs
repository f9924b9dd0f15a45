namespace OrleansReminders.Domain.Tiering;

/// <summary>One factor's share of the risk score, for explanation.</summary>
/// <param name="Factor">Factor name: <c>daysPastDue</c>, <c>amountDue</c>, <c>lateShare</c>, <c>priorDelinquencies</c>, <c>creditScore</c>.</param>
/// <param name="RawValue">Input value as given (<c>null</c> for a missing credit score).</param>
/// <param name="Points">Points the factor added.</param>
/// <param name="MaxPoints">Weight of the factor: the most it can add.</param>
public sealed record ScoreContribution(string Factor, decimal? RawValue, decimal Points, decimal MaxPoints);
