namespace OrleansReminders.Domain.Templates;

/// <summary>How serious a lint finding is; any error blocks approval.</summary>
public enum LintSeverity
{
    Warning,
    Error,
}

/// <summary>One lint finding: a stable code (see <see cref="LintCodes"/>), a severity and a readable message.</summary>
public sealed record LintFinding(string Code, LintSeverity Severity, string Message)
{
    public static LintFinding Error(string code, string message) => new(code, LintSeverity.Error, message);

    public static LintFinding Warning(string code, string message) => new(code, LintSeverity.Warning, message);

    public override string ToString() => $"{Severity} {Code}: {Message}";
}

/// <summary>The codes of all lint findings.</summary>
public static class LintCodes
{
    public const string BodyEmpty = "body.empty";
    public const string PlaceholderUnknown = "placeholder.unknown";
    public const string PlaceholderUnsupported = "placeholder.unsupported";
    public const string PlaceholderUnclosed = "placeholder.unclosed";
    public const string PlaceholderEscaped = "placeholder.escaped";
    public const string PlaceholderStrayClose = "placeholder.strayClose";
    public const string LocaleUnsupported = "locale.unsupported";

    /// <summary>Prefix; the category follows, e.g. <c>wording.threat</c>.</summary>
    public const string WordingPrefix = "wording.";
    public const string RequiredBrand = "required.brand";
    public const string RequiredOptOut = "required.optOut";
    public const string RequiredHotline = "required.hotline";
    public const string SegmentsRaw = "segments.raw";
    public const string SegmentsWorstCase = "segments.worstCase";
    public const string EncodingUcs2 = "encoding.ucs2";
}
