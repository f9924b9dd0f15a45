using System.Text.Json;
using NodaTime;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// Parses a holiday calendar from JSON text (a pure function of the text):
/// <code>
/// { "region": "CN", "years": [2025, 2026], "source": "…",
///   "holidays": [ { "name": "Spring Festival", "from": "2025-01-28", "to": "2025-02-04" },
///                 { "name": "New Year's Day", "date": "2025-01-01" } ],
///   "makeUpWorkdays": [ { "name": "Spring Festival", "date": "2025-01-26" } ] }
/// </code>
/// "note" is free text and ignored. Every entry must fall inside the listed years.
/// </summary>
public static class HolidayCalendarParser
{
    private const int MaxRangeDays = 31;

    public static PolicyParseResult<HolidayCalendar> Parse(string json, string pathPrefix = "")
    {
        var reader = new PolicyJsonReader();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            reader.Error(PolicyPath.Join(pathPrefix, "$"), $"is not valid JSON: {e.Message}");
            return new PolicyParseResult<HolidayCalendar>(null, reader.Errors);
        }

        using (document)
        {
            var calendar = Read(reader, document.RootElement, pathPrefix);
            return new PolicyParseResult<HolidayCalendar>(reader.Errors.Count == 0 ? calendar : null, reader.Errors);
        }
    }

    private static HolidayCalendar? Read(PolicyJsonReader reader, JsonElement root, string path)
    {
        if (!reader.IsObject(root, path))
        {
            return null;
        }

        string? region = null;
        string? source = null;
        var years = new HashSet<int>();
        var holidays = new Dictionary<LocalDate, string>();
        var workdays = new Dictionary<LocalDate, string>();
        foreach (var property in root.EnumerateObject())
        {
            var at = PolicyPath.Join(path, property.Name);
            switch (PolicyJsonReader.Key(property.Name))
            {
                case "REGION": region = reader.String(property.Value, at); break;
                case "SOURCE": source = reader.String(property.Value, at); break;
                case "NOTE": break;
                case "YEARS": ReadYears(reader, property.Value, at, years); break;
                case "HOLIDAYS": ReadDays(reader, property.Value, at, holidays); break;
                case "MAKEUPWORKDAYS": ReadDays(reader, property.Value, at, workdays); break;
                default: reader.Unknown(at); break;
            }
        }

        Require(reader, region, PolicyPath.Join(path, "region"));
        Require(reader, source, PolicyPath.Join(path, "source"));
        CheckYears(reader, years, holidays, PolicyPath.Join(path, "holidays"));
        CheckYears(reader, years, workdays, PolicyPath.Join(path, "makeUpWorkdays"));
        foreach (var day in workdays.Keys.Where(holidays.ContainsKey))
        {
            reader.Error(PolicyPath.Join(path, "makeUpWorkdays"), $"{day:yyyy-MM-dd} is also listed as a holiday");
        }

        return region is null || source is null ? null : new HolidayCalendar(region, source, years, holidays, workdays);
    }

    private static void ReadYears(PolicyJsonReader reader, JsonElement json, string path, HashSet<int> years)
    {
        if (!reader.IsArray(json, path))
        {
            return;
        }

        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            if (item.TryGetInt32(out var year) && year is >= 1900 and <= 2200)
            {
                years.Add(year);
            }
            else
            {
                reader.Error(PolicyPath.Index(path, index), "must be a year such as 2025");
            }

            index++;
        }

        if (years.Count == 0)
        {
            reader.Error(path, "must list at least one year");
        }
    }

    private static void ReadDays(PolicyJsonReader reader, JsonElement json, string path, Dictionary<LocalDate, string> days)
    {
        if (!reader.IsArray(json, path))
        {
            return;
        }

        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            ReadEntry(reader, item, PolicyPath.Index(path, index++), days);
        }
    }

    private static void ReadEntry(PolicyJsonReader reader, JsonElement item, string path, Dictionary<LocalDate, string> days)
    {
        if (!reader.IsObject(item, path))
        {
            return;
        }

        string? name = null;
        LocalDate? from = null;
        LocalDate? to = null;
        foreach (var property in item.EnumerateObject())
        {
            var at = PolicyPath.Join(path, property.Name);
            switch (PolicyJsonReader.Key(property.Name))
            {
                case "NAME": name = reader.String(property.Value, at); break;
                case "DATE": from = to = reader.Date(property.Value, at); break;
                case "FROM": from = reader.Date(property.Value, at); break;
                case "TO": to = reader.Date(property.Value, at); break;
                default: reader.Unknown(at); break;
            }
        }

        AddRange(reader, path, name, from, to, days);
    }

    private static void AddRange(
        PolicyJsonReader reader, string path, string? name, LocalDate? from, LocalDate? to, Dictionary<LocalDate, string> days)
    {
        Require(reader, name, PolicyPath.Join(path, "name"));
        if (from is null || to is null)
        {
            reader.Error(path, "needs \"date\", or \"from\" and \"to\"");
            return;
        }

        if (to < from || Period.Between(from.Value, to.Value, PeriodUnits.Days).Days >= MaxRangeDays)
        {
            reader.Error(PolicyPath.Join(path, "to"), $"must be on or after \"from\" and within {MaxRangeDays} days of it");
            return;
        }

        for (var day = from.Value; day <= to.Value; day = day.PlusDays(1))
        {
            days[day] = name ?? "";
        }
    }

    private static void CheckYears(PolicyJsonReader reader, HashSet<int> years, Dictionary<LocalDate, string> days, string path)
    {
        foreach (var day in days.Keys.Where(d => years.Count > 0 && !years.Contains(d.Year)).Order())
        {
            reader.Error(path, $"{day:yyyy-MM-dd} lies outside the listed years");
        }
    }

    private static void Require(PolicyJsonReader reader, string? value, string path)
    {
        if (value is null && !reader.Errors.Any(e => e.Path == path))
        {
            reader.Error(path, "is required");
        }
    }
}
