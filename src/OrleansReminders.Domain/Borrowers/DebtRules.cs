using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>What a borrower's debts and risk inputs must look like, and how a payment is applied.</summary>
public static class DebtRules
{
    public const int MaxIdLength = 64;

    /// <summary>How far in the past a due date may lie (older debts belong to another process).</summary>
    public static readonly Period MaxOverdue = Period.FromYears(2);

    /// <summary>Locales templates and formatting exist for.</summary>
    public static readonly IReadOnlySet<string> Locales = new HashSet<string>(["zh-CN", "en-US", "en-IN"], StringComparer.Ordinal);

    public static IEnumerable<FieldError> ValidateDebt(string at, string? debtId, decimal amountDue, string? currency, LocalDate dueDate, LocalDate today)
    {
        if (string.IsNullOrWhiteSpace(debtId) || debtId.Length > MaxIdLength)
        {
            yield return new($"{at}.debtId", $"must be 1 to {MaxIdLength} characters");
        }

        if (amountDue < 0)
        {
            yield return new($"{at}.amountDue", "must not be negative");
        }

        if (currency is not { Length: 3 } || !currency.All(char.IsAsciiLetterUpper))
        {
            yield return new($"{at}.currency", "must be an ISO 4217 code such as CNY or USD");
        }

        if (dueDate < today - MaxOverdue)
        {
            yield return new($"{at}.dueDate", $"is more than {MaxOverdue.Years} years in the past");
        }
    }

    public static IEnumerable<FieldError> ValidateRisk(decimal lateShareLast12Months, int priorDelinquencies, int? creditScore)
    {
        if (lateShareLast12Months is < 0 or > 1)
        {
            yield return new("risk.lateShareLast12Months", "must be between 0 and 1");
        }

        if (priorDelinquencies < 0)
        {
            yield return new("risk.priorDelinquencies", "must not be negative");
        }

        if (creditScore is < 300 or > 900)
        {
            yield return new("risk.creditScore", "must be between 300 and 900");
        }
    }

    /// <summary>A payment settles the oldest open debts first; returns the part applied to each, in input order.</summary>
    public static decimal[] Allocate(decimal amount, IReadOnlyList<(LocalDate DueDate, decimal Outstanding)> debts)
    {
        var applied = new decimal[debts.Count];
        foreach (var i in Enumerable.Range(0, debts.Count).Where(i => debts[i].Outstanding > 0).OrderBy(i => debts[i].DueDate))
        {
            applied[i] = Math.Min(amount, debts[i].Outstanding);
            amount -= applied[i];
        }

        return applied;
    }
}
