namespace OrleansReminders.Domain.Templates;

/// <summary>How placeholders are formatted for one locale, and the worst-case values used to measure length.</summary>
/// <param name="Locale">BCP 47 tag, e.g. zh-CN; also the .NET culture used for digits and grouping.</param>
/// <param name="DatePattern">NodaTime <c>LocalDatePattern</c> text, e.g. <c>MMM d, yyyy</c>.</param>
/// <param name="CurrencySymbols">Symbol per ISO code in this locale; other currencies show their code.</param>
/// <param name="GsmExpected">Whether templates of this locale should fit GSM-7 (a UCS-2 body is then a warning).</param>
/// <param name="WorstCase">Longest realistic placeholder values, rendered at lint time to count segments.</param>
public sealed record LocaleProfile(
    string Locale,
    string DatePattern,
    IReadOnlyDictionary<string, string> CurrencySymbols,
    bool GsmExpected,
    TemplateValues WorstCase);

/// <summary>One forbidden-wording list: a language (e.g. en, zh), a category (abuse, threat, thirdPartyDisclosure) and its terms.</summary>
public sealed record WordingList(string Language, string Category, IReadOnlyList<string> Terms);
