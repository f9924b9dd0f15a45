using System.Text.Json;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Strategy;

/// <summary>
/// Reads typed values out of a <see cref="JsonElement"/> tree while collecting every problem as a
/// <see cref="FieldError"/> with its JSON path, so that a configuration reports all errors at once.
/// </summary>
internal sealed class JsonConfigReader
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Index(string path, int index) => $"{path}[{index}]";

    public void Error(string path, string message) => _errors.Add(new FieldError(path, message));

    /// <summary>Checks that <paramref name="element"/> is an object and reports properties not in <paramref name="known"/>.</summary>
    public bool Object(JsonElement element, string path, params string[] known) =>
        Keyed(element, path, "property", known);

    /// <summary>Like <see cref="Object"/>, naming what the keys are (e.g. "tier") in the error.</summary>
    public bool Keyed(JsonElement element, string path, string what, IReadOnlyCollection<string> known)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Error(path, $"must be an object, not {Describe(element)}");
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                Error(Join(path, property.Name), "appears more than once");
            }
            else if (!known.Contains(property.Name, StringComparer.Ordinal) && property.Name != "$schema")
            {
                Error(Join(path, property.Name), $"unknown {what} '{property.Name}' (expected one of: {string.Join(", ", known)})");
            }
        }

        return true;
    }

    public JsonElement? Property(JsonElement obj, string path, string name, bool required)
    {
        if (obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        if (required)
        {
            Error(Join(path, name), "is required");
        }

        return null;
    }

    public int? Int(JsonElement obj, string path, string name, bool required, int min, int max)
    {
        var value = Property(obj, path, name, required);
        if (value is null)
        {
            return null;
        }

        var fieldPath = Join(path, name);
        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetInt32(out var number))
        {
            Error(fieldPath, $"must be a whole number, not {Describe(value.Value)}");
            return null;
        }

        if (number < min || number > max)
        {
            Error(fieldPath, $"must be between {min} and {max} (was {number})");
            return null;
        }

        return number;
    }

    public string? String(JsonElement obj, string path, string name, bool required)
    {
        var value = Property(obj, path, name, required);
        if (value is null)
        {
            return null;
        }

        var fieldPath = Join(path, name);
        if (value.Value.ValueKind != JsonValueKind.String)
        {
            Error(fieldPath, $"must be a string, not {Describe(value.Value)}");
            return null;
        }

        var text = value.Value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            Error(fieldPath, "must not be empty");
            return null;
        }

        return text.Trim();
    }

    public bool? Bool(JsonElement obj, string path, string name, bool required)
    {
        var value = Property(obj, path, name, required);
        if (value is null)
        {
            return null;
        }

        if (value.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(Join(path, name), $"must be true or false, not {Describe(value.Value)}");
            return null;
        }

        return value.Value.GetBoolean();
    }

    /// <summary>Reads a string naming a member of <typeparamref name="TEnum"/> (case-insensitive, camelCase in JSON).</summary>
    public TEnum? Enum<TEnum>(JsonElement obj, string path, string name, bool required, string what)
        where TEnum : struct, Enum
    {
        var text = String(obj, path, name, required);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, out _) || !System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var parsed))
        {
            Error(Join(path, name), $"unknown {what} '{text}' (expected {Names<TEnum>()})");
            return null;
        }

        return parsed;
    }

    public static string Names<TEnum>()
        where TEnum : struct, Enum =>
        string.Join(", ", System.Enum.GetNames<TEnum>().Select(CamelCase));

    public static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    public bool Array(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            return true;
        }

        Error(path, $"must be an array, not {Describe(element)}");
        return false;
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
