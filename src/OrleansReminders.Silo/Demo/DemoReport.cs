using System.Globalization;
using System.Text;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Reports;
using OrleansReminders.Domain.Strategy;

namespace OrleansReminders.Silo.Demo;

/// <summary>
/// What ended: the run's settings, how long it took, the business instant from which business time runs at real
/// time, the one the demo began at, the borrowers' statuses, and where the API is.
/// </summary>
public sealed record DemoEnding(DemoOptions Demo, TimeSpan RealElapsed, DateTimeOffset RealTimeFrom, DateTimeOffset DemoFrom,
    IReadOnlyCollection<BorrowerStatus> Statuses, DemoEnvironment Environment);

/// <summary>The demo's printed report (funnel, stage legend, column definitions) and its closing paragraph.</summary>
public static class DemoReport
{
    private const int Width = 110;
    private const string Columns = """
        Columns (Funnel's definitions; the all row is the same computation over every row):
          sent, delivered  collection SMS handed to the provider, and those with a delivery receipt; each message once
                           however often it was retried; transactional messages (the payment thank-you) are not counted
          tasks            call tasks and agency hand-offs handed over: never counted as SMS sent or delivered
          contacted        distinct borrowers with an SMS sent or a task in the row; in the all row each borrower once,
                           so it is not the sum of the rows (every other column is)
          replied          SMS and tasks answered by a reply while they were the borrower's last contact (last touch)
          opted out        SMS and tasks followed by an opt-out reply while they were the last contact
          paid             borrowers who paid in full after a contact, credited to their last contact
          conversion       paid / contacted
        """;

    /// <summary>The funnel per tier, stage and variant, the all row, the stage legend and the column definitions.</summary>
    public static string Render(IReadOnlyList<FunnelRow> rows, FunnelRow total, DemoOptions demo, CollectionStrategy strategy)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Funnel after {demo.BusinessDays} business days, {demo.Borrowers:N0} borrowers");
        text.AppendLine("tier     stage  variant       sent  delivered  tasks  contacted  replied  opted out   paid  conversion");
        foreach (var r in rows.Append(total))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{r.Key.Tier,-8} {r.Key.Stage,-6} {r.Key.Variant,-10} {r.Sent,7} {r.Delivered,10} {r.Tasks,6} {r.Contacted,10} {r.Replied,8} {r.OptedOut,10} {r.Paid,6} {r.Conversion,11:P1}");
        }

        text.AppendLine();
        text.AppendLine("Stages (L: the tier's ladder, days from the due date; E: escalation):");
        foreach (var stage in FunnelLegend.Stages(strategy, rows.Select(r => r.Key.Stage)))
        {
            Wrap(text, string.Create(CultureInfo.InvariantCulture, $"  {stage.Stage,-4}{stage.Meaning}"), indent: 6);
        }

        Wrap(text, "Variants: " + FunnelLegend.Variants(strategy), indent: 10);
        text.Append(Columns);
        return text.ToString();
    }

    /// <summary>What the service does now that the demo is over: the clock, the borrowers, the API, how to stop.</summary>
    public static string NextSteps(DemoEnding end)
    {
        var api = end.Environment.ApiAddress;
        var key = end.Environment.ApiKey ?? "$KEY";
        var text = new StringBuilder();
        var over = string.Create(CultureInfo.InvariantCulture, $"The demo is over: {end.Demo.BusinessDays} business days in {end.RealElapsed.TotalSeconds:0} s.");
        var clock = string.Create(CultureInfo.InvariantCulture, $"on from {end.RealTimeFrom:yyyy-MM-dd HH:mm} UTC where the demo left it");
        Wrap(text, $"{over} Business time runs at real time again (one business second per real second), {clock}: reminders fire when "
            + "they fall due, and a borrower's status changes only when a step falls due or a receipt, reply or payment arrives.", indent: 0);
        Wrap(text, "Borrowers now: " + Summary(end.Statuses) + ".", indent: 2);
        text.AppendLine(end.Environment.InMemory
            ? "The service keeps running, in memory (the portfolio is gone when it stops):"
            : "The service keeps running:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  API    {api} (reference: {api}/docs)");
        text.AppendLine(end.Environment.ApiKey is null
            ? "  key    one of the configured keys (Api:Keys), in the X-Api-Key header"
            : $"  key    {key} (this run's temporary admin key), in the X-Api-Key header");
        text.AppendLine(CultureInfo.InvariantCulture, $"  try    curl -s {api}/borrowers/demo-000001 -H \"X-Api-Key: {key}\"");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"         curl -s \"{api}/reports/funnel?from={end.DemoFrom:yyyy-MM-dd}&to={end.RealTimeFrom.AddDays(1):yyyy-MM-dd}\" -H \"X-Api-Key: {key}\"");
        text.Append("  stop   Ctrl-C");
        return text.ToString();
    }

    /// <summary>Appends <paramref name="line"/> cut at spaces into lines of at most <see cref="Width"/> characters, continued after <paramref name="indent"/> spaces.</summary>
    private static void Wrap(StringBuilder text, string line, int indent)
    {
        while (line.Length > Width && line.LastIndexOf(' ', Width) is var cut && cut > indent)
        {
            text.AppendLine(line[..cut]);
            line = new string(' ', indent) + line[(cut + 1)..];
        }

        text.AppendLine(line);
    }

    /// <summary>"412 paid in full, 37 opted out, …": the borrowers by where their ladder stands.</summary>
    public static string Summary(IReadOnlyCollection<BorrowerStatus> statuses)
    {
        var groups = statuses.GroupBy(s => s.Stage switch
        {
            "resolved" => "paid in full",
            "opted-out" => "opted out",
            "paused" => "paused",
            "not-started" => "not contacted yet",
            var stage when stage.StartsWith("escalation-", StringComparison.Ordinal) => "escalated (call task or agency)",
            var stage when stage.StartsWith("suspended", StringComparison.Ordinal) => "on a promise or plan",
            _ => "on the SMS ladder",
        }).OrderByDescending(g => g.Count()).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count():N0} {g.Key}")).ToList();
        var held = statuses.Where(s => s.NextAction?.Contains(NoSlot, StringComparison.Ordinal) == true).ToList();
        if (held.Count > 0)
        {
            var reasons = held.GroupBy(s => Reason(s.NextAction!)).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count():N0}"));
            groups.Add(string.Create(CultureInfo.InvariantCulture, $"of them {held.Count:N0} held by the contact policy with no allowed slot ahead ({string.Join(", ", reasons)})"));
        }

        return groups.Count == 0 ? "none" : string.Join(", ", groups);
    }

    // The planner's wait: "<step>: no allowed slot within the horizon (<reason code>); asking again daily".
    private const string NoSlot = "no allowed slot";

    private static string Reason(string nextAction)
    {
        var open = nextAction.IndexOf('(', nextAction.IndexOf(NoSlot, StringComparison.Ordinal));
        var close = open < 0 ? -1 : nextAction.IndexOf(')', open);
        return close > open ? nextAction[(open + 1)..close] : nextAction;
    }
}
