using System.Text.Json;
using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Policy;

/// <summary>
/// Parses a holiday calendar from JSON text (a pure function of the text):
/// <code>
/// { "region": "CN", "years": [2025, 2026], "source": "…",
///   "holidays": [ { "name": "Spring Festival", "from": "2025-01-28", "to": "2025-02-04" },
///                 { "name": "New Year's Day", "date": "2025-01-01" } ],
///   "makeUpWorkdays": [ { "name": "Spring Festival", "date": "2025-01-26" } ] }
/// </code>
/// "years" are the span the calendar covers (consecutive); every entry must fall inside them. "note" is free
/// text and ignored. Every error names its path and the line it is on.
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
            var line = e.LineNumber is { } zeroBased ? (int)zeroBased + 1 : (int?)null;
            var error = new FieldError(PolicyPath.Join(pathPrefix, "$"), $"is not valid JSON: {e.Message}") { Line = line };
            return new PolicyParseResult<HolidayCalendar>(null, [error]);
        }

        using (document)
        {
            var calendar = Read(reader, document.RootElement, pathPrefix);
            var lines = JsonLineMap.Of(json, pathPrefix);
            var errors = reader.Errors.Select(lines.Locate).ToList();
            return new PolicyParseResult<HolidayCalendar>(errors.Count == 0 ? calendar : null, errors);
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
        var holidays = new List<Entry>();
        var workdays = new List<Entry>();
        foreach (var property in root.EnumerateObject())
        {
            var at = PolicyPath.Join(path, property.Name);
            switch (PolicyJsonReader.Key(property.Name))
            {
                case "REGION": region = reader.String(property.Value, at); break;
                case "SOURCE": source = reader.String(property.Value, at); break;
                case "NOTE": break;
                case "YEARS": ReadYears(reader, property.Value, at, years); break;
                case "HOLIDAYS": ReadEntries(reader, property.Value, at, holidays); break;
                case "MAKEUPWORKDAYS": ReadEntries(reader, property.Value, at, workdays); break;
                default: reader.Unknown(at); break;
            }
        }

        Require(reader, region, PolicyPath.Join(path, "region"));
        Require(reader, source, PolicyPath.Join(path, "source"));
        var holidayDays = Days(reader, years, holidays);
        var workdayDays = Days(reader, years, workdays);
        foreach (var entry in workdays)
        {
            foreach (var day in entry.Days().Where(holidayDays.ContainsKey))
            {
                reader.Error(entry.Path, $"{day:yyyy-MM-dd} is also listed as a holiday");
            }
        }

        return region is null || source is null || reader.Errors.Count > 0
            ? null
            : new ListedHolidayCalendar(region, source, years, holidayDays, workdayDays);
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
        else if (years.Max() - years.Min() + 1 != years.Count)
        {
            reader.Error(path, "must be consecutive years: a calendar covers one span, and a missing year would read as a year without holidays");
        }
    }

    private static void ReadEntries(PolicyJsonReader reader, JsonElement json, string path, List<Entry> entries)
    {
        if (!reader.IsArray(json, path))
        {
            return;
        }

        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            if (ReadEntry(reader, item, PolicyPath.Index(path, index++)) is { } entry)
            {
                entries.Add(entry);
            }
        }
    }

    private static Entry? ReadEntry(PolicyJsonReader reader, JsonElement item, string path)
    {
        if (!reader.IsObject(item, path))
        {
            return null;
        }

        string? name = null;
        LocalDate? from = null;
        LocalDate? to = null;
        var datesRead = true;
        foreach (var property in item.EnumerateObject())
        {
            var at = PolicyPath.Join(path, property.Name);
            switch (PolicyJsonReader.Key(property.Name))
            {
                case "NAME": name = reader.String(property.Value, at); break;
                case "DATE": from = to = reader.Date(property.Value, at); datesRead &= from is not null; break;
                case "FROM": from = reader.Date(property.Value, at); datesRead &= from is not null; break;
                case "TO": to = reader.Date(property.Value, at); datesRead &= to is not null; break;
                default: reader.Unknown(at); break;
            }
        }

        Require(reader, name, PolicyPath.Join(path, "name"));
        if (from is null || to is null)
        {
            if (datesRead)
            {
                reader.Error(path, "needs \"date\", or \"from\" and \"to\"");
            }

            return null;
        }

        if (to < from || Period.Between(from.Value, to.Value, PeriodUnits.Days).Days >= MaxRangeDays)
        {
            reader.Error(PolicyPath.Join(path, "to"), $"must be on or after \"from\" and within {MaxRangeDays} days of it");
            return null;
        }

        return new Entry(path, name ?? "", from.Value, to.Value);
    }

    private static Dictionary<LocalDate, string> Days(PolicyJsonReader reader, HashSet<int> years, List<Entry> entries)
    {
        var days = new Dictionary<LocalDate, string>();
        foreach (var entry in entries)
        {
            foreach (var day in entry.Days())
            {
                if (years.Count > 0 && !years.Contains(day.Year))
                {
                    reader.Error(entry.Path, $"{day:yyyy-MM-dd} lies outside the listed years");
                }

                days[day] = entry.Name;
            }
        }

        return days;
    }

    private static void Require(PolicyJsonReader reader, string? value, string path)
    {
        if (value is null && !reader.Errors.Any(e => e.Path == path))
        {
            reader.Error(path, "is required");
        }
    }

    private sealed record Entry(string Path, string Name, LocalDate From, LocalDate To)
    {
        public IEnumerable<LocalDate> Days()
        {
            for (var day = From; day <= To; day = day.PlusDays(1))
            {
                yield return day;
            }
        }
    }
}
