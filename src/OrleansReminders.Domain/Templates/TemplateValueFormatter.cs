using System.Collections.Concurrent;
using System.Globalization;
using NodaTime;
using NodaTime.Text;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Templates;

/// <summary>
/// Turns <see cref="TemplateValues"/> into the placeholder strings of one locale: money with the locale's
/// grouping and the currency's symbol (¥1,234.50, $1,234.50), dates in the locale's pattern (2025年3月9日,
/// Mar 9, 2025). Every value is made safe for SMS: curly braces become parentheses and control characters
/// spaces, so a value can never look like a placeholder.
/// </summary>
public sealed class TemplateValueFormatter
{
    private const int DefaultCurrencyDigits = 2;
    private readonly TemplateReferenceData _data;
    private readonly ConcurrentDictionary<string, LocalDatePattern> _datePatterns = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Locale, string Currency), NumberFormatInfo> _money = new();

    public TemplateValueFormatter(TemplateReferenceData data)
    {
        _data = data;
    }

    /// <summary>Placeholder name → formatted value; hotline and link are present only when given.</summary>
    /// <exception cref="DomainValidationException">Unsupported locale or invalid values, one error per problem.</exception>
    public IReadOnlyDictionary<string, string> Format(TemplateValues values, string locale)
    {
        var profile = _data.FindLocale(locale);
        var errors = Validate(values, locale, profile);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        return Build(values, profile!);
    }

    private Dictionary<string, string> Build(TemplateValues values, LocaleProfile profile)
    {
        var culture = CultureInfo.GetCultureInfo(profile.Locale);
        var formatted = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TemplatePlaceholders.Name] = Sanitize(values.Name),
            [TemplatePlaceholders.Amount] = Sanitize(values.AmountDue.ToString("C", Money(profile, values.Currency))),
            [TemplatePlaceholders.Currency] = values.Currency,
            [TemplatePlaceholders.DueDate] = Sanitize(DatePattern(profile).Format(values.DueDate)),
            [TemplatePlaceholders.DaysOverdue] = values.DaysOverdue.ToString("N0", culture),
            [TemplatePlaceholders.RepaymentMethods] = Sanitize(values.RepaymentMethods),
        };
        AddOptional(formatted, TemplatePlaceholders.Hotline, values.Hotline);
        AddOptional(formatted, TemplatePlaceholders.Link, values.Link);
        return formatted;
    }

    /// <summary>Replaces braces with parentheses and control characters (line breaks included) with spaces, then trims.</summary>
    public static string Sanitize(string value)
    {
        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                '{' => '(',
                '}' => ')',
                var c when char.IsControl(c) => ' ',
                var c => c,
            };
        }

        return new string(chars).Trim();
    }

    private static void AddOptional(Dictionary<string, string> formatted, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            formatted[name] = Sanitize(value);
        }
    }

    private LocalDatePattern DatePattern(LocaleProfile profile) =>
        _datePatterns.GetOrAdd(
            profile.Locale,
            _ => LocalDatePattern.Create(profile.DatePattern, CultureInfo.GetCultureInfo(profile.Locale)));

    private NumberFormatInfo Money(LocaleProfile profile, string currency) =>
        _money.GetOrAdd((profile.Locale, currency), key => CreateMoneyFormat(profile, key.Currency));

    private NumberFormatInfo CreateMoneyFormat(LocaleProfile profile, string currency)
    {
        var format = (NumberFormatInfo)CultureInfo.GetCultureInfo(profile.Locale).NumberFormat.Clone();
        format.CurrencyDecimalDigits = _data.CurrencyDigits.GetValueOrDefault(currency, DefaultCurrencyDigits);
        if (profile.CurrencySymbols.TryGetValue(currency, out var symbol))
        {
            format.CurrencySymbol = symbol;
        }
        else
        {
            // Unknown symbol: show the ISO code, separated by a space ("EUR 12.00").
            format.CurrencySymbol = currency;
            format.CurrencyPositivePattern = 2;
        }

        return format;
    }

    private List<FieldError> Validate(TemplateValues values, string locale, LocaleProfile? profile)
    {
        var errors = new List<FieldError>();
        if (profile is null)
        {
            var supported = string.Join(", ", _data.Locales.Keys.Order(StringComparer.Ordinal));
            errors.Add(new FieldError("locale", $"'{locale}' has no formatting profile; supported: {supported}"));
        }

        AddIf(errors, string.IsNullOrWhiteSpace(values.Name), "values.name", "must not be empty");
        AddIf(errors, values.AmountDue < 0, "values.amountDue", "must be ≥ 0");
        AddIf(errors, !IsCurrencyCode(values.Currency), "values.currency", "must be an ISO 4217 code such as CNY");
        AddIf(errors, values.DaysOverdue < 0, "values.daysOverdue", "must be ≥ 0");
        AddIf(errors, values.RepaymentMethods is null, "values.repaymentMethods", "must not be null");
        return errors;
    }

    private static void AddIf(List<FieldError> errors, bool failed, string path, string message)
    {
        if (failed)
        {
            errors.Add(new FieldError(path, message));
        }
    }

    private static bool IsCurrencyCode(string? code) =>
        code is { Length: 3 } && code.All(char.IsAsciiLetterUpper);
}
