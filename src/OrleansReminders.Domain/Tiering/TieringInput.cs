namespace OrleansReminders.Domain.Tiering;

/// <summary>What the risk score is computed from.</summary>
/// <param name="DaysPastDue">Days past the due date; zero or negative before it (counts as 0).</param>
/// <param name="AmountDue">Outstanding amount in the portfolio's currency (thresholds are in the same unit).</param>
/// <param name="LateShareLast12Months">Share of instalments paid late in the last 12 months, 0..1.</param>
/// <param name="PriorDelinquencies">Earlier delinquency episodes (resolved ones included).</param>
/// <param name="CreditScore">Bureau score if known; a missing score adds no points.</param>
public sealed record TieringInput(
    int DaysPastDue,
    decimal AmountDue,
    decimal LateShareLast12Months,
    int PriorDelinquencies,
    int? CreditScore = null)
{
    /// <summary>Late share from counts; 0 when there were no instalments.</summary>
    public static decimal LateShare(int lateInstalments, int totalInstalments) =>
        totalInstalments <= 0 ? 0m : Math.Clamp((decimal)lateInstalments / totalInstalments, 0m, 1m);
}
