using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Policy;

/// <summary>Reads typed values from JSON, collecting one error per bad field instead of stopping at the first.</summary>
internal sealed class PolicyJsonReader
{
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    public List<FieldError> Errors { get; } = [];

    public bool IsObject(JsonElement element, string path) => Expect(element, JsonValueKind.Object, path, "an object");

    public bool IsArray(JsonElement element, string path) => Expect(element, JsonValueKind.Array, path, "an array");

    public void Unknown(string path) => Errors.Add(new FieldError(path, "is not a known setting"));

    public void Error(string path, string message) => Errors.Add(new FieldError(path, message));

    public bool Bool(JsonElement element, string path, bool fallback)
    {
        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return element.GetBoolean();
        }

        Error(path, "must be true or false");
        return fallback;
    }

    /// <summary>A whole number, or null (JSON null) meaning "no cap".</summary>
    public int? OptionalInt(JsonElement element, string path, int? fallback)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value))
        {
            return value;
        }

        Error(path, "must be a whole number or null");
        return fallback;
    }

    /// <summary>A duration in .NET TimeSpan form ("01:00:00", "1.00:00:00").</summary>
    public Duration Duration(JsonElement element, string path, Duration fallback)
    {
        if (element.ValueKind == JsonValueKind.String
            && TimeSpan.TryParse(element.GetString(), CultureInfo.InvariantCulture, out var span))
        {
            return NodaTime.Duration.FromTimeSpan(span);
        }

        Error(path, "must be a duration such as \"01:00:00\" or \"1.00:00:00\"");
        return fallback;
    }

    public string? String(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(element.GetString()))
        {
            return element.GetString();
        }

        Error(path, "must be a non-empty string");
        return null;
    }

    public LocalDate? Date(JsonElement element, string path)
    {
        var result = element.ValueKind == JsonValueKind.String ? DatePattern.Parse(element.GetString()!) : null;
        if (result is { Success: true })
        {
            return result.Value;
        }

        Error(path, "must be a date such as \"2025-10-01\"");
        return null;
    }

    public TimeWindow Window(JsonElement element, string path, TimeWindow fallback)
    {
        if (!IsObject(element, path))
        {
            return fallback;
        }

        var start = fallback.Start;
        var end = fallback.End;
        foreach (var property in element.EnumerateObject())
        {
            var at = PolicyPath.Join(path, property.Name);
            switch (Key(property.Name))
            {
                case "START": start = Time(property.Value, at) ?? start; break;
                case "END": end = Time(property.Value, at) ?? end; break;
                default: Unknown(at); break;
            }
        }

        return new TimeWindow(start, end);
    }

    public static string Key(string name) => name.ToUpperInvariant();

    private LocalTime? Time(JsonElement element, string path)
    {
        var result = element.ValueKind == JsonValueKind.String ? TimePattern.Parse(element.GetString()!) : null;
        if (result is { Success: true })
        {
            return result.Value;
        }

        Error(path, "must be a local time such as \"08:00\"");
        return null;
    }

    private bool Expect(JsonElement element, JsonValueKind kind, string path, string what)
    {
        if (element.ValueKind == kind)
        {
            return true;
        }

        Error(path, $"must be {what}");
        return false;
    }
}
