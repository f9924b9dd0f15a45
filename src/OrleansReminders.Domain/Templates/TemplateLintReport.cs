namespace OrleansReminders.Domain.Templates;

/// <summary>
/// Every lint finding for a template, plus the segment counts of the raw body and of the body rendered with
/// worst-case values (null when it could not be rendered, or for non-SMS channels).
/// </summary>
public sealed record TemplateLintReport(
    IReadOnlyList<LintFinding> Findings,
    SmsSegmentInfo? RawSegments,
    RenderedMessage? WorstCase)
{
    public bool HasErrors => Findings.Any(f => f.Severity == LintSeverity.Error);

    public IEnumerable<LintFinding> Errors => Findings.Where(f => f.Severity == LintSeverity.Error);
}
