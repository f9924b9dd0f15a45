using NodaTime;

namespace OrleansReminders.Domain.Templates;

/// <summary>
/// Raw placeholder values for one message. The renderer formats money, dates and numbers for the template's
/// locale; optional values (hotline, link) are only required when the template uses them.
/// </summary>
/// <param name="Name">Borrower's display name.</param>
/// <param name="AmountDue">Amount due, ≥ 0, in <paramref name="Currency"/>.</param>
/// <param name="Currency">ISO 4217 code, three capital letters.</param>
/// <param name="DueDate">The due date (a calendar date, no time zone involved).</param>
/// <param name="DaysOverdue">Whole days past due, ≥ 0.</param>
/// <param name="RepaymentMethods">How to pay, free text.</param>
/// <param name="Hotline">Service hotline.</param>
/// <param name="Link">Repayment or self-service link.</param>
public sealed record TemplateValues(
    string Name,
    decimal AmountDue,
    string Currency,
    LocalDate DueDate,
    int DaysOverdue,
    string RepaymentMethods,
    string? Hotline = null,
    string? Link = null);
