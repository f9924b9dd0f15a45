using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansReminders.Contracts.History;
using OrleansReminders.Domain.Configuration;
using OrleansReminders.Domain.Reports;
using OrleansReminders.Grains.History;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>
/// <c>GET /reports/funnel?from=&amp;to=&amp;by=</c> (reader): the collection funnel (domain <see cref="Funnel"/>) over
/// the events of a period, grouped by tier/stage/variant, or by the UTC hour or weekday a message was
/// queued; <c>GET /strategy</c> (admin): the strategy and contact policy the service runs with.
/// </summary>
internal static class ReportEndpoints
{
    public const int MaxEvents = 2_000_000;
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366);

    public static RouteGroupBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("");
        group.MapGet("/reports/funnel", FunnelAsync).RequireAuthorization(ApiRoles.Reader).WithTags("Reports")
            .WithSummary("Funnel (sent, delivered, tasks, contacted, replied, opted out, paid, conversion) for a period, by tier/stage/variant, hour or weekday, with the total.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/strategy", (CollectionConfiguration configuration) => TypedResults.Ok(configuration))
            .RequireAuthorization(ApiRoles.Admin).WithTags("Strategy").WithSummary("The strategy and contact policy in force.");
        return group;
    }

    private static async Task<Results<Ok<FunnelReport>, ProblemHttpResult>> FunnelAsync(string? from, string? to, string? by, IContactEventStore store, CancellationToken cancellationToken)
    {
        if (!DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "from", "is required: an ISO 8601 date or instant (UTC unless an offset is given)");
        }

        if (!DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end))
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "to", "is required: an ISO 8601 date or instant (UTC unless an offset is given)");
        }

        if (end <= start || end - start > MaxPeriod)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "to", $"must be after from and at most {MaxPeriod.TotalDays:0} days later");
        }

        FunnelGrouping? grouping = (by ?? "tier") switch
        {
            "tier" => FunnelGrouping.TierStageVariant,
            "hour" => FunnelGrouping.Hour,
            "weekday" => FunnelGrouping.Weekday,
            _ => null,
        };
        if (grouping is null)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "by", "must be tier, hour or weekday");
        }

        var events = new List<FunnelEvent>();
        await foreach (var e in store.ReadPeriodAsync(start, end, MaxEvents + 1, cancellationToken))
        {
            events.Add(ToFunnelEvent(e));
        }

        if (events.Count > MaxEvents)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "to", $"the period holds more than {MaxEvents:N0} events: ask for a shorter one");
        }

        var rows = Funnel.Build(events, Funnel.By(grouping.Value));
        return TypedResults.Ok(new FunnelReport(start, end, by ?? "tier", events.Count, [.. rows.Select(Row)], Row(Funnel.Total(events))));
    }

    /// <summary>A stored event as the funnel reads it.</summary>
    public static FunnelEvent ToFunnelEvent(ContactEvent e) => new(e.BorrowerId, e.OccurredAt, e.Kind, e.Stage, e.Data, e.Channel);

    private static FunnelReportRow Row(FunnelRow r) => new(
        r.Key.Tier, r.Key.Stage, r.Key.Variant, r.Sent, r.Delivered, r.Tasks, r.Contacted, r.Replied, r.OptedOut, r.Paid, Math.Round(r.Conversion, 4));
}

/// <summary>The funnel of a period: one row per group (<c>by</c>: tier, hour or weekday) and the total.</summary>
public sealed record FunnelReport(DateTimeOffset From, DateTimeOffset To, string By, int Events, IReadOnlyList<FunnelReportRow> Rows, FunnelReportRow Total);

/// <summary>
/// One group's funnel: messages sent and delivered, call tasks, borrowers contacted, replied, opted out and paid, and
/// the conversion (paid per borrower contacted, 4 decimals). <c>group</c> is the stage, or the hour or weekday.
/// </summary>
public sealed record FunnelReportRow(
    string Tier, string Group, string Variant, int Sent, int Delivered, int Tasks, int Contacted, int Replied, int OptedOut, int Paid, double Conversion);
