using System.ComponentModel.DataAnnotations;

namespace OrleansReminders.Silo.Hosting;

/// <summary>
/// Holiday calendars (section <c>Calendars</c>). The shipped ones (US by rule, CN and IN from data) are always
/// loaded; an operator's folder adds newer ones without a rebuild. Read once at start-up.
/// </summary>
public sealed class CalendarOptions
{
    public const string SectionName = "Calendars";

    /// <summary>
    /// A folder (relative to the content root) whose <c>holidays.*.json</c> files replace the shipped calendar of
    /// their region for the dates they cover and extend it beyond them. Unset: the shipped calendars only.
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>
    /// From this many days before a calendar's last covered day, start-up logs a warning, <c>/health/ready</c>
    /// reports Degraded naming the calendar and its end date.
    /// </summary>
    [Range(1, 366)]
    public int WarnDaysBeforeEnd { get; set; } = 60;
}
