namespace OrleansReminders.Domain.Common;

/// <summary>
/// Bounds on what a request may ask of the service, checked before any grain is called (and again by the
/// grain). Every number is configuration (section <see cref="SectionName"/>); these are the defaults the
/// README documents.
/// </summary>
public sealed record InputLimits
{
    public const string SectionName = "Api:Limits";

    /// <summary>Ids (borrower, debt, payment, reply) are at most this long: reminder and storage keys depend on it.</summary>
    public const int MaxIdLength = 64;

    public static InputLimits Default { get; } = new();

    /// <summary>Debts one borrower may carry in one upsert.</summary>
    public int MaxDebtsPerBorrower { get; init; } = 200;

    /// <summary>Characters in the borrower's name.</summary>
    public int MaxNameLength { get; init; } = 200;

    /// <summary>Characters in short codes: segment, payment segment, jurisdiction, promise kind.</summary>
    public int MaxCodeLength { get; init; } = 32;

    /// <summary>Characters in an audited reason (pause, resume, promise, escalation).</summary>
    public int MaxReasonLength { get; init; } = 500;

    /// <summary>Candidate time zones per borrower.</summary>
    public int MaxTimeZones { get; init; } = 5;

    /// <summary>Characters in a template's text.</summary>
    public int MaxTemplateTextLength { get; init; } = 1_000;

    /// <summary>Largest amount (a debt or a payment) in a currency without its own entry in <see cref="MaxAmountByCurrency"/>.</summary>
    public decimal DefaultMaxAmount { get; init; } = 100_000_000_000m;

    /// <summary>Largest amount per ISO 4217 code; replaces <see cref="DefaultMaxAmount"/> for that currency.</summary>
    public IReadOnlyDictionary<string, decimal> MaxAmountByCurrency { get; init; } = new Dictionary<string, decimal>(StringComparer.Ordinal)
    {
        ["CNY"] = 10_000_000m,
        ["USD"] = 1_000_000m,
        ["EUR"] = 1_000_000m,
        ["GBP"] = 1_000_000m,
        ["INR"] = 100_000_000m,
        ["JPY"] = 200_000_000m,
    };

    /// <summary>How far ahead of today a debt's due date may lie.</summary>
    public int MaxDueDateYearsAhead { get; init; } = 10;

    /// <summary>The problem with a text longer than <paramref name="max"/> characters; null when it fits (or is absent).</summary>
    public static FieldError? TooLong(string field, string? value, int max) =>
        value is { Length: var length } && length > max ? new FieldError(field, $"must be at most {max} characters (it has {length})") : null;

    /// <summary>The largest amount allowed in <paramref name="currency"/>.</summary>
    public decimal MaxAmountFor(string currency) =>
        MaxAmountByCurrency.TryGetValue(currency, out var max) ? max : DefaultMaxAmount;

    /// <summary>Every setting that cannot work, by path under <paramref name="path"/>.</summary>
    public IReadOnlyList<FieldError> Validate(string path)
    {
        var errors = new List<FieldError>();
        void Positive(int value, string name)
        {
            if (value < 1)
            {
                errors.Add(new($"{path}:{name}", "must be at least 1"));
            }
        }

        Positive(MaxDebtsPerBorrower, nameof(MaxDebtsPerBorrower));
        Positive(MaxNameLength, nameof(MaxNameLength));
        Positive(MaxCodeLength, nameof(MaxCodeLength));
        Positive(MaxReasonLength, nameof(MaxReasonLength));
        Positive(MaxTimeZones, nameof(MaxTimeZones));
        Positive(MaxTemplateTextLength, nameof(MaxTemplateTextLength));
        Positive(MaxDueDateYearsAhead, nameof(MaxDueDateYearsAhead));
        if (DefaultMaxAmount is <= 0 or > Currencies.AbsoluteMaxAmount)
        {
            errors.Add(new($"{path}:{nameof(DefaultMaxAmount)}", $"must be greater than 0 and at most {Currencies.AbsoluteMaxAmount}"));
        }

        foreach (var (code, max) in MaxAmountByCurrency)
        {
            if (!Currencies.IsKnown(code))
            {
                errors.Add(new($"{path}:{nameof(MaxAmountByCurrency)}:{code}", "is not an ISO 4217 currency code this service accepts"));
            }
            else if (max is <= 0 or > Currencies.AbsoluteMaxAmount)
            {
                errors.Add(new($"{path}:{nameof(MaxAmountByCurrency)}:{code}", $"must be greater than 0 and at most {Currencies.AbsoluteMaxAmount}"));
            }
        }

        return errors;
    }
}
