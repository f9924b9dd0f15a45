namespace OrleansReminders.Domain.Policy;

/// <summary>Builds JSON-style paths for validation errors.</summary>
internal static class PolicyPath
{
    public static string Join(string prefix, string name) =>
        string.IsNullOrEmpty(prefix) ? name : $"{prefix}.{name}";

    public static string Index(string prefix, int index) => $"{prefix}[{index}]";

    public static string Camel(string name) =>
        name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
