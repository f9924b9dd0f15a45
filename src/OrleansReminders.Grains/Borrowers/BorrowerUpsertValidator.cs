using System.Collections.Immutable;
using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Phones;
using OrleansReminders.Domain.Policy;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// Checks an upsert field by field against the rules and the <see cref="InputLimits"/> and normalises it;
/// every problem is reported, nothing is applied. The API runs it before it calls the grain and the grain
/// runs it again. Linear in the input: one pass over the debts, duplicates found with a set.
/// </summary>
public static class BorrowerUpsertValidator
{
    private static readonly LocalDate EarliestBirthday = new(1900, 1, 1);

    public static (BorrowerProfile? Profile, ImmutableArray<Debt> Debts, List<FieldError> Errors) Validate(
        string borrowerId, BorrowerUpsert upsert, LocalDate today, InputLimits? limits = null)
    {
        limits ??= InputLimits.Default;
        var errors = new List<FieldError>();
        if (!BorrowerIds.IsValid(borrowerId))
        {
            errors.Add(new("borrowerId", BorrowerIds.Rule));
        }

        CheckLengths(upsert, limits, errors);

        if (upsert.Region is not { Length: 2 } || !upsert.Region.All(char.IsAsciiLetterUpper))
        {
            errors.Add(new("region", "must be a two-letter upper-case region code such as CN or US"));
        }

        var phone = PhoneNormalizer.Normalize(upsert.Phone, upsert.Region is { Length: 2 } r ? r : "ZZ", "phone");
        if (phone.Error is { } phoneError)
        {
            errors.Add(phoneError);
        }

        if (upsert.Locale is null || !DebtRules.Locales.Contains(upsert.Locale))
        {
            errors.Add(new("locale", $"must be one of {string.Join(", ", DebtRules.Locales)}"));
        }

        if (BorrowerProfile.ParseSegment(upsert.PaymentSegment) is null)
        {
            errors.Add(new("paymentSegment", "must be standard, onTime or repeatDelinquent"));
        }

        var zones = upsert.TimeZones.IsDefaultOrEmpty ? [] : upsert.TimeZones.ToList();
        var profile = new ContactProfile { TimeZoneIds = zones, Region = upsert.Region, Jurisdiction = upsert.Jurisdiction, Segment = upsert.Segment };
        errors.AddRange(zones.Count switch
        {
            0 => [new FieldError("timeZones", "must name at least one IANA time zone")],
            _ when zones.Count > limits.MaxTimeZones => [new FieldError("timeZones", $"must name at most {limits.MaxTimeZones} time zones")],
            _ => profile.Validate(""),
        });
        errors.AddRange(upsert.Risk is { } risk ? DebtRules.ValidateRisk(risk.LateShareLast12Months, risk.PriorDelinquencies, risk.CreditScore) : []);
        if (upsert.Birthday is { } birthday && (LocalDate.FromDateOnly(birthday) < EarliestBirthday || LocalDate.FromDateOnly(birthday) > today))
        {
            errors.Add(new("birthday", $"must lie between {EarliestBirthday:yyyy-MM-dd} and today"));
        }

        var debts = ValidateDebts(upsert, today, limits, errors);

        if (errors.Count > 0)
        {
            return (null, [], errors);
        }

        return (new BorrowerProfile(phone.Phone!.E164, upsert.Name, upsert.Locale!, zones, upsert.Region!, upsert.Jurisdiction,
            upsert.Birthday is { } day ? LocalDate.FromDateOnly(day) : null, upsert.Segment, upsert.PaymentSegment ?? "standard", upsert.IsNewCustomer),
            [.. debts], errors);
    }

    /// <summary>Strings and lists longer than the limits, reported before anything looks inside them.</summary>
    private static void CheckLengths(BorrowerUpsert upsert, InputLimits limits, List<FieldError> errors)
    {
        void Max(string? value, int max, string field)
        {
            if (InputLimits.TooLong(field, value, max) is { } error)
            {
                errors.Add(error);
            }
        }

        Max(upsert.Name, limits.MaxNameLength, "name");
        Max(upsert.Segment, limits.MaxCodeLength, "segment");
        Max(upsert.PaymentSegment, limits.MaxCodeLength, "paymentSegment");
        Max(upsert.Jurisdiction, limits.MaxCodeLength, "jurisdiction");
        Max(upsert.Locale, limits.MaxCodeLength, "locale");
        Max(upsert.Region, limits.MaxCodeLength, "region");
        if (!upsert.TimeZones.IsDefault)
        {
            for (var i = 0; i < upsert.TimeZones.Length && i < limits.MaxTimeZones; i++)
            {
                Max(upsert.TimeZones[i], InputLimits.MaxIdLength, $"timeZones[{i}]");
            }
        }
    }

    private static List<Debt> ValidateDebts(BorrowerUpsert upsert, LocalDate today, InputLimits limits, List<FieldError> errors)
    {
        var debts = new List<Debt>();
        if (upsert.Debts.IsDefaultOrEmpty)
        {
            errors.Add(new("debts", "must contain at least one debt"));
            return debts;
        }

        if (upsert.Debts.Length > limits.MaxDebtsPerBorrower)
        {
            errors.Add(new("debts", $"must contain at most {limits.MaxDebtsPerBorrower} debts (it has {upsert.Debts.Length})"));
            return debts;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < upsert.Debts.Length; i++)
        {
            var debt = upsert.Debts[i];
            var at = $"debts[{i}]";
            if (!string.IsNullOrWhiteSpace(debt.DebtId) && !seen.Add(debt.DebtId))
            {
                errors.Add(new($"{at}.debtId", $"'{debt.DebtId}' appears twice"));
            }

            errors.AddRange(DebtRules.ValidateDebt(at, debt.DebtId, debt.AmountDue, debt.Currency, LocalDate.FromDateOnly(debt.DueDate), today, limits));
            debts.Add(new Debt(debt.DebtId, debt.AmountDue, debt.Currency ?? "", LocalDate.FromDateOnly(debt.DueDate)));
        }

        return debts;
    }
}
