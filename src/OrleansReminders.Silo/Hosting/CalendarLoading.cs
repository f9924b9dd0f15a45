using OrleansReminders.Domain.Policy;

namespace OrleansReminders.Silo.Hosting;

/// <summary>
/// Loads the holiday calendars once at start-up: the shipped ones, then every <c>holidays.*.json</c> in
/// <c>Calendars:Folder</c>. A file that cannot be read stops start-up with its path, line and problem.
/// </summary>
internal static class CalendarLoading
{
    public const string FolderKey = CalendarOptions.SectionName + ":" + nameof(CalendarOptions.Folder);
    private const string FilePrefix = "holidays.";
    private const string FileSuffix = ".json";

    /// <summary>Reads and validates; throws <see cref="InvalidOperationException"/> listing every problem.</summary>
    public static HolidayCalendarSet Load(IConfiguration configuration, string contentRoot)
    {
        // Only the folder matters here; the options themselves are validated at start-up with every other setting.
        var options = configuration.GetSection(CalendarOptions.SectionName).Get<CalendarOptions>() ?? new CalendarOptions();
        var calendars = HolidayCalendarSet.LoadShipped();
        if (string.IsNullOrWhiteSpace(options.Folder))
        {
            return calendars;
        }

        var folder = Path.GetFullPath(options.Folder, contentRoot);
        if (!Directory.Exists(folder))
        {
            throw Invalid([$"{FolderKey}: folder {folder} does not exist"]);
        }

        var lines = new List<string>();
        var files = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(folder, FilePrefix + "*" + FileSuffix).Order(StringComparer.Ordinal))
        {
            calendars = Add(calendars, file, files, lines);
        }

        return lines.Count == 0 ? calendars : throw Invalid(lines);
    }

    private static HolidayCalendarSet Add(HolidayCalendarSet calendars, string file, Dictionary<string, string> files, List<string> problems)
    {
        var result = HolidayCalendarParser.Parse(File.ReadAllText(file));
        if (!result.IsValid)
        {
            problems.AddRange(result.Errors.Select(e => $"{file}: {e}"));
            return calendars;
        }

        var calendar = result.Value!;
        var named = Path.GetFileName(file)[FilePrefix.Length..^FileSuffix.Length];
        if (!string.Equals(named, calendar.Region, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{file}: region \"{calendar.Region}\" does not match the file name (expected holidays.{calendar.Region}.json)");
            return calendars;
        }

        if (!files.TryAdd(calendar.Region, file))
        {
            problems.Add($"{file}: a second file for region {calendar.Region} (the first is {files[calendar.Region]})");
            return calendars;
        }

        if (calendars.With(calendar, out var problem) is not { } extended)
        {
            problems.Add($"{file}: {problem}");
            return calendars;
        }

        return extended;
    }

    private static InvalidOperationException Invalid(IEnumerable<string> lines) =>
        new("Invalid holiday calendars:" + Environment.NewLine + string.Join(Environment.NewLine, lines.Select(l => "  " + l)));
}
