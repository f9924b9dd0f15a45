using System.Collections.Frozen;

namespace OrleansReminders.Domain.Templates;

/// <summary>
/// The placeholders a template may use, written as Liquid outputs <c>{{ name }}</c> (exact case, no filters, tags or paths).
/// Values are formatted for the template's locale before rendering, so templates stay logic-less.
/// </summary>
public static class TemplatePlaceholders
{
    /// <summary>Borrower's display name as given.</summary>
    public const string Name = "name";

    /// <summary>Amount due as money in the locale's format with the currency symbol, e.g. ¥1,234.50 or $1,234.50.</summary>
    public const string Amount = "amount";

    /// <summary>ISO 4217 code of the amount, e.g. CNY.</summary>
    public const string Currency = "currency";

    /// <summary>Due date in the locale's long form, e.g. 2025年3月9日 or Mar 9, 2025.</summary>
    public const string DueDate = "dueDate";

    /// <summary>Whole days past the due date (0 on or before it), locale digits and grouping.</summary>
    public const string DaysOverdue = "daysOverdue";

    /// <summary>Free text listing how to pay (methods or account), as given.</summary>
    public const string RepaymentMethods = "repaymentMethods";

    /// <summary>Service hotline number, as given.</summary>
    public const string Hotline = "hotline";

    /// <summary>Repayment or self-service link, as given.</summary>
    public const string Link = "link";

    public static FrozenSet<string> All { get; } = new[]
    {
        Name, Amount, Currency, DueDate, DaysOverdue, RepaymentMethods, Hotline, Link,
    }.ToFrozenSet(StringComparer.Ordinal);
}
