using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Phones;
using OrleansReminders.Domain.Policy;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>Checks an upsert field by field and normalises it; every problem is reported, nothing is applied.</summary>
internal static class BorrowerUpsertValidator
{
    public const int MaxBorrowerIdLength = DebtRules.MaxIdLength;

    public static (ProfileState? Profile, List<DebtState>? Debts, List<FieldError> Errors) Validate(
        string borrowerId, BorrowerUpsert upsert, LocalDate today)
    {
        var errors = new List<FieldError>();
        if (borrowerId.Length is 0 or > MaxBorrowerIdLength)
        {
            errors.Add(new("borrowerId", $"must be 1 to {MaxBorrowerIdLength} characters"));
        }

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

        if (BorrowerFactsMapper.ParsePaymentSegment(upsert.PaymentSegment) is null)
        {
            errors.Add(new("paymentSegment", "must be standard, onTime or repeatDelinquent"));
        }

        var zones = upsert.TimeZones.IsDefaultOrEmpty ? [] : upsert.TimeZones.ToList();
        var profile = new ContactProfile { TimeZoneIds = zones, Region = upsert.Region, Jurisdiction = upsert.Jurisdiction, Segment = upsert.Segment };
        errors.AddRange(zones.Count == 0 ? [new FieldError("timeZones", "must name at least one IANA time zone")] : profile.Validate(""));
        errors.AddRange(upsert.Risk is { } risk ? DebtRules.ValidateRisk(risk.LateShareLast12Months, risk.PriorDelinquencies, risk.CreditScore) : []);
        var debts = ValidateDebts(upsert, today, errors);

        if (errors.Count > 0)
        {
            return (null, null, errors);
        }

        return (new ProfileState
        {
            PhoneE164 = phone.Phone!.E164,
            Name = upsert.Name,
            Locale = upsert.Locale!,
            TimeZones = zones,
            Region = upsert.Region!,
            Jurisdiction = upsert.Jurisdiction,
            Birthday = upsert.Birthday,
            Segment = upsert.Segment,
            PaymentSegment = upsert.PaymentSegment ?? "standard",
            IsNewCustomer = upsert.IsNewCustomer,
        }, debts, errors);
    }

    private static List<DebtState> ValidateDebts(BorrowerUpsert upsert, LocalDate today, List<FieldError> errors)
    {
        var debts = new List<DebtState>();
        if (upsert.Debts.IsDefaultOrEmpty)
        {
            errors.Add(new("debts", "must contain at least one debt"));
            return debts;
        }

        for (var i = 0; i < upsert.Debts.Length; i++)
        {
            var debt = upsert.Debts[i];
            var at = $"debts[{i}]";
            if (!string.IsNullOrWhiteSpace(debt.DebtId) && upsert.Debts.Take(i).Any(d => d.DebtId == debt.DebtId))
            {
                errors.Add(new($"{at}.debtId", $"'{debt.DebtId}' appears twice"));
            }

            errors.AddRange(DebtRules.ValidateDebt(at, debt.DebtId, debt.AmountDue, debt.Currency, LocalDate.FromDateOnly(debt.DueDate), today));
            debts.Add(new DebtState { DebtId = debt.DebtId, AmountDue = debt.AmountDue, Currency = debt.Currency ?? "", DueDate = debt.DueDate });
        }

        return debts;
    }
}
