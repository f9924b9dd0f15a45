using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Borrowers;

/// <summary>What a borrower's debts and risk inputs must look like, and how a payment is applied.</summary>
public static class DebtRules
{
    public const int MaxIdLength = InputLimits.MaxIdLength;

    /// <summary>How far in the past a due date may lie (older debts belong to another process).</summary>
    public static readonly Period MaxOverdue = Period.FromYears(2);

    /// <summary>Locales templates and formatting exist for.</summary>
    public static readonly IReadOnlySet<string> Locales = new HashSet<string>(["zh-CN", "en-US", "en-IN"], StringComparer.Ordinal);

    /// <summary>
    /// One debt's fields: its id (<see cref="BorrowerIds.IsValidReference"/>), an amount above zero and within
    /// the currency's maximum, an ISO 4217 currency, a due date neither more than <see cref="MaxOverdue"/> past
    /// nor more than the configured years ahead. Each check is a comparison: nothing here can overflow.
    /// </summary>
    public static IEnumerable<FieldError> ValidateDebt(
        string at, string? debtId, decimal amountDue, string? currency, LocalDate dueDate, LocalDate today, InputLimits? limits = null)
    {
        limits ??= InputLimits.Default;
        if (!BorrowerIds.IsValidReference(debtId))
        {
            yield return new($"{at}.debtId", BorrowerIds.ReferenceRule);
        }

        foreach (var error in ValidateAmount($"{at}.amountDue", amountDue, $"{at}.currency", currency, limits))
        {
            yield return error;
        }

        if (dueDate < today - MaxOverdue)
        {
            yield return new($"{at}.dueDate", $"is more than {MaxOverdue.Years} years in the past");
        }
        else if (dueDate > today.PlusYears(limits.MaxDueDateYearsAhead))
        {
            yield return new($"{at}.dueDate", $"is more than {limits.MaxDueDateYearsAhead} years ahead");
        }
    }

    /// <summary>An amount above zero and at most the currency's configured maximum, in an accepted ISO 4217 currency.</summary>
    public static IEnumerable<FieldError> ValidateAmount(string amountPath, decimal amount, string currencyPath, string? currency, InputLimits limits)
    {
        var known = Currencies.IsKnown(currency);
        var max = known ? limits.MaxAmountFor(currency!) : limits.DefaultMaxAmount;
        if (amount <= 0)
        {
            yield return new(amountPath, "must be greater than zero");
        }
        else if (amount > max)
        {
            yield return new(amountPath, known ? $"must be at most {max:0.##} {currency}" : $"must be at most {max:0.##}");
        }

        if (!known)
        {
            yield return new(currencyPath, "must be an ISO 4217 currency code such as CNY, USD or INR (upper case)");
        }
    }

    /// <summary>A payment's id, amount and currency (<see cref="ValidateAmount"/>) and the instant it was received.</summary>
    public static IEnumerable<FieldError> ValidatePayment(
        string? paymentId, decimal amount, string? currency, Instant receivedAt, Instant now, InputLimits? limits = null)
    {
        if (!BorrowerIds.IsValidReference(paymentId))
        {
            yield return new("paymentId", BorrowerIds.ReferenceRule);
        }

        foreach (var error in ValidateAmount("amount", amount, "currency", currency, limits ?? InputLimits.Default))
        {
            yield return error;
        }

        if (receivedAt < EarliestPayment || receivedAt > now + Duration.FromDays(1))
        {
            yield return new("receivedAt", "must lie between 2000-01-01 and one day from now");
        }
    }

    private static readonly Instant EarliestPayment = Instant.FromUtc(2000, 1, 1, 0, 0);

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
