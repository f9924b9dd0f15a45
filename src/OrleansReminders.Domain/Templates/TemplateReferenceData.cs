using System.Text.Json;
using NodaTime.Text;

namespace OrleansReminders.Domain.Templates;

/// <summary>
/// Data the template rules depend on: locale profiles, forbidden wording, opt-out hints and currency digits.
/// <see cref="Default"/> is read from the embedded files under <c>Data/Templates/</c>.
/// </summary>
public sealed record TemplateReferenceData(
    IReadOnlyDictionary<string, LocaleProfile> Locales,
    IReadOnlyList<WordingList> ForbiddenWording,
    IReadOnlyList<string> OptOutHints,
    IReadOnlyDictionary<string, int> CurrencyDigits)
{
    private static readonly Lazy<TemplateReferenceData> Embedded = new(LoadEmbedded);

    public static TemplateReferenceData Default => Embedded.Value;

    /// <summary>The locale profile for a tag (case-insensitive), or null when the locale is not supported.</summary>
    public LocaleProfile? FindLocale(string locale) => Locales.GetValueOrDefault(locale);

    /// <summary>Builds reference data from the JSON texts of <c>locales.json</c> and <c>forbidden-wording.json</c>.</summary>
    public static TemplateReferenceData FromJson(string localesJson, string forbiddenWordingJson)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var locales = JsonSerializer.Deserialize<LocalesFile>(localesJson, options)
            ?? throw new InvalidDataException("locales JSON is empty");
        var wording = JsonSerializer.Deserialize<WordingFile>(forbiddenWordingJson, options)
            ?? throw new InvalidDataException("forbidden-wording JSON is empty");
        return new TemplateReferenceData(
            locales.Locales.ToDictionary(p => p.Key, p => ToProfile(p.Key, p.Value), StringComparer.OrdinalIgnoreCase),
            wording.Lists.SelectMany(l => l.Value.Select(c => new WordingList(l.Key, c.Key, c.Value))).ToList(),
            locales.OptOutHints.SelectMany(h => h.Value).ToList(),
            new Dictionary<string, int>(locales.CurrencyDigits, StringComparer.Ordinal));
    }

    private static LocaleProfile ToProfile(string locale, LocaleEntry entry)
    {
        var w = entry.WorstCase;
        var values = new TemplateValues(
            w.Name, w.AmountDue, w.Currency, LocalDatePattern.Iso.Parse(w.DueDate).Value,
            w.DaysOverdue, w.RepaymentMethods, w.Hotline, w.Link);
        return new LocaleProfile(locale, entry.DatePattern, entry.CurrencySymbols, entry.GsmExpected, values);
    }

    private static TemplateReferenceData LoadEmbedded() =>
        FromJson(ReadResource("locales.json"), ReadResource("forbidden-wording.json"));

    private static string ReadResource(string file)
    {
        var assembly = typeof(TemplateReferenceData).Assembly;
        var name = $"OrleansReminders.Domain.Data.Templates.{file}";
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed record LocalesFile(
        Dictionary<string, int> CurrencyDigits,
        Dictionary<string, List<string>> OptOutHints,
        Dictionary<string, LocaleEntry> Locales);

    private sealed record LocaleEntry(
        string DatePattern, Dictionary<string, string> CurrencySymbols, bool GsmExpected, WorstCaseEntry WorstCase);

    private sealed record WorstCaseEntry(
        string Name, decimal AmountDue, string Currency, string DueDate, int DaysOverdue,
        string RepaymentMethods, string Hotline, string Link);

    private sealed record WordingFile(Dictionary<string, Dictionary<string, List<string>>> Lists);
}
