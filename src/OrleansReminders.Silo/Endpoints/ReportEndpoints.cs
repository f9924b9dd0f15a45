using System.Globalization;
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
            .WithSummary("Funnel (sent, delivered, tasks, contacted, replied, opted out, paid, conversion) for a period, by tier/stage/variant, hour or weekday, with the total.");
        group.MapGet("/strategy", (CollectionConfiguration configuration) => TypedResults.Ok(configuration))
            .RequireAuthorization(ApiRoles.Admin).WithTags("Strategy").WithSummary("The strategy and contact policy in force.");
        return group;
    }

    private static async Task<IResult> FunnelAsync(string? from, string? to, string? by, IContactEventStore store, CancellationToken cancellationToken)
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
        return TypedResults.Ok(new
        {
            from = start,
            to = end,
            by = by ?? "tier",
            events = events.Count,
            rows = rows.Select(Row),
            total = Row(Funnel.Total(events)),
        });
    }

    /// <summary>A stored event as the funnel reads it.</summary>
    public static FunnelEvent ToFunnelEvent(ContactEvent e) => new(e.BorrowerId, e.OccurredAt, e.Kind, e.Stage, e.Data, e.Channel);

    private static object Row(FunnelRow r) => new
    {
        tier = r.Key.Tier, group = r.Key.Stage, variant = r.Key.Variant, r.Sent, r.Delivered, r.Tasks, r.Contacted, r.Replied, r.OptedOut, r.Paid,
        conversion = Math.Round(r.Conversion, 4),
    };
}
