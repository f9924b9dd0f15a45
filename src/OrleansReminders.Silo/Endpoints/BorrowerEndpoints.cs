using System.Collections.Immutable;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.History;
using NodaTime;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Grains.Borrowers;
using OrleansReminders.Grains.History;
using OrleansReminders.Grains.Time;
using OrleansReminders.Silo.Hosting;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>
/// The borrower API: status and history for readers, upsert and payments for ingest, pause/resume,
/// promises and escalation for ops. Requests are checked here for shape (present, parsable) and against
/// the rules and <see cref="InputLimits"/> before any grain is called; the grain checks the rules again.
/// A refused request changes nothing.
/// </summary>
internal static class BorrowerEndpoints
{
    public const int MaxHistoryPage = 500;

    public static RouteGroupBuilder MapBorrowers(this IEndpointRouteBuilder app)
    {
        var borrowers = app.MapGroup("/borrowers/{id}").WithTags("Borrowers").WithBodyLimit(BodyKind.Json)
            .ProducesProblem(StatusCodes.Status400BadRequest); // an id that breaks BorrowerIds.Rule
        borrowers.MapGet("", GetStatusAsync).RequireAuthorization(ApiRoles.Reader).WithSummary("A borrower's status, from memory.")
            .WithDescription("Every change acknowledged before the request is in the answer. ETag names the content: send it back in " +
                "If-None-Match and an unchanged status answers 304 without a body. As-Of is the business time the time-dependent " +
                "fields (days overdue, tier) were computed at; they hold until the borrower's next local midnight.")
            .Produces<BorrowerStatus>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound);
        borrowers.MapGet("/history", GetHistoryAsync).RequireAuthorization(ApiRoles.Reader).WithSummary("A borrower's full history, oldest first, paged.");
        borrowers.MapPut("", UpsertAsync).RequireAuthorization(ApiRoles.Ingest).WithBodyLimit(BodyKind.Upsert).WithSummary("Creates or replaces profile and debts.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).WithMetadata(new ResponseExampleMetadata(typeof(CommandAnswer)));
        Command(borrowers.MapPost("/payments", PaymentAsync).RequireAuthorization(ApiRoles.Ingest)
            .WithSummary("Records a payment; the same paymentId again is recognised, not applied twice."));
        Command(borrowers.MapPost("/promises", PromiseAsync).RequireAuthorization(ApiRoles.Ops).WithSummary("Records a promise to pay or an agreed plan."));
        Command(borrowers.MapPost("/pause", (string id, JsonBody<OpsActionRequest> body, HttpContext context, IGrainFactory grains, InputLimits limits) =>
                OpsAsync(id, body, context, grains, limits, pause: true))
            .RequireAuthorization(ApiRoles.Ops).WithSummary("Pauses collection messages (dispute, legal hold, …)."));
        Command(borrowers.MapPost("/resume", (string id, JsonBody<OpsActionRequest> body, HttpContext context, IGrainFactory grains, InputLimits limits) =>
                OpsAsync(id, body, context, grains, limits, pause: false))
            .RequireAuthorization(ApiRoles.Ops).WithSummary("Resumes a paused borrower."));
        Command(borrowers.MapPost("/escalation", ReassignAsync).RequireAuthorization(ApiRoles.Ops).WithSummary("Moves the borrower to an escalation level."));
        return borrowers;
    }

    /// <summary>A command on an existing borrower: 404 when there is none, 422 with every field problem.</summary>
    private static void Command(RouteHandlerBuilder command) => command
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
        .WithMetadata(new ResponseExampleMetadata(typeof(CommandAnswer)));

    private static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetStatusAsync(
        string id, HttpContext context, IGrainFactory grains, LocalStatusCache statusCache, IOptions<JsonOptions> json,
        [FromKeyedServices(BusinessClock.Key)] TimeProvider clock)
    {
        if (BadId(id) is { } bad)
        {
            return bad;
        }

        // A borrower active on this silo that answered since its last change: no grain call needed.
        if (statusCache.TryGet(id, out var cached, out var asOf))
        {
            return StatusRepresentation.Answer(context, cached, asOf, json.Value.SerializerOptions);
        }

        return await grains.GetGrain<IBorrowerGrain>(id).GetStatusAsync() is { } status
            ? StatusRepresentation.Answer(context, status, clock.GetUtcNow(), json.Value.SerializerOptions)
            : ApiResults.Problem(StatusCodes.Status404NotFound, "borrowerId", $"no borrower {id}");
    }

    private static async Task<Results<Ok<ContactEventPage>, ProblemHttpResult>> GetHistoryAsync(string id, string? cursor, string? limit, IContactEventStore events, CancellationToken cancellationToken)
    {
        if (BadId(id) is { } bad)
        {
            return bad;
        }

        var size = 50;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxHistoryPage))
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "limit", $"must be a whole number from 1 to {MaxHistoryPage}");
        }

        try
        {
            return TypedResults.Ok(await events.ReadAsync(id, cursor, size, cancellationToken));
        }
        catch (FormatException)
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "cursor", "is not a cursor returned by a previous page");
        }
    }

    private static async Task<Results<Ok<CommandAnswer>, ProblemHttpResult>> UpsertAsync(
        string id, JsonBody<UpsertBorrowerRequest> body, IGrainFactory grains, InputLimits limits, [FromKeyedServices(BusinessClock.Key)] TimeProvider clock)
    {
        if (BadId(id) is { } bad)
        {
            return bad;
        }

        var (upsert, missing) = ToUpsert(body.Value);
        if (upsert is null)
        {
            return ApiResults.Invalid(missing);
        }

        if (Check(id, upsert, limits, clock) is { Count: > 0 } problems)
        {
            return ApiResults.Invalid(problems);
        }

        return ApiResults.From(await grains.GetGrain<IBorrowerGrain>(id).UpsertAsync(upsert));
    }

    private static async Task<Results<Ok<CommandAnswer>, ProblemHttpResult>> PaymentAsync(
        string id, JsonBody<PaymentRequest> request, IGrainFactory grains, InputLimits limits, [FromKeyedServices(BusinessClock.Key)] TimeProvider clock)
    {
        if (BadId(id) is { } bad)
        {
            return bad;
        }

        var body = request.Value;
        var missing = new List<FieldProblem>();
        Require(missing, body.PaymentId, "paymentId");
        Require(missing, body.Amount, "amount");
        Require(missing, body.Currency, "currency");
        if (missing.Count > 0)
        {
            return ApiResults.Invalid(missing);
        }

        var payment = new PaymentRecord(body.PaymentId!, body.Amount!.Value, body.Currency!, body.ReceivedAt ?? clock.GetUtcNow());
        var invalid = DebtRules.ValidatePayment(payment.PaymentId, payment.Amount, payment.Currency,
            Instant.FromDateTimeOffset(payment.ReceivedAt), Instant.FromDateTimeOffset(clock.GetUtcNow()), limits);
        return invalid.Any()
            ? ApiResults.Invalid(FieldProblems.From(invalid))
            : ApiResults.From(await grains.GetGrain<IBorrowerGrain>(id).RecordPaymentAsync(payment));
    }

    private static async Task<Results<Ok<CommandAnswer>, ProblemHttpResult>> PromiseAsync(
        string id, JsonBody<PromiseRequest> request, HttpContext context, IGrainFactory grains, InputLimits limits,
        [FromKeyedServices(BusinessClock.Key)] TimeProvider clock)
    {
        if (BadId(id) is { } bad)
        {
            return bad;
        }

        var body = request.Value;
        var missing = new List<FieldProblem>();
        Require(missing, body.Until, "until");
        Require(missing, body.Kind, "kind");
        MaxLength(missing, body.Reason, limits.MaxReasonLength, "reason");
        if (missing.Count == 0)
        {
            var utcToday = LocalDate.FromDateTime(clock.GetUtcNow().UtcDateTime);
            missing.AddRange(FieldProblems.From(PromiseRules.ValidateAtEdge(LocalDate.FromDateOnly(body.Until!.Value), body.Kind!, utcToday)));
        }

        return missing.Count > 0
            ? ApiResults.Invalid(missing)
            : ApiResults.From(await grains.GetGrain<IBorrowerGrain>(id).RecordPromiseAsync(
                new PromiseRecord(body.Until!.Value, body.Kind!, ApiKeys.Actor(context.User), body.Reason)));
    }

    private static async Task<Results<Ok<CommandAnswer>, ProblemHttpResult>> OpsAsync(
        string id, JsonBody<OpsActionRequest> request, HttpContext context, IGrainFactory grains, InputLimits limits, bool pause)
    {
        if (BadId(id) is { } bad)
        {
            return bad;
        }

        var body = request.Value;
        if (string.IsNullOrWhiteSpace(body.Reason))
        {
            return ApiResults.Invalid([new("reason", "is required (ops actions are audited)")]);
        }

        if (InputLimits.TooLong("reason", body.Reason, limits.MaxReasonLength) is { } tooLong)
        {
            return ApiResults.Invalid(FieldProblems.From([tooLong]));
        }

        var action = new OpsAction(ApiKeys.Actor(context.User), body.Reason);
        var grain = grains.GetGrain<IBorrowerGrain>(id);
        return ApiResults.From(pause ? await grain.PauseAsync(action) : await grain.ResumeAsync(action));
    }

    private static async Task<Results<Ok<CommandAnswer>, ProblemHttpResult>> ReassignAsync(
        string id, JsonBody<ReassignRequest> request, HttpContext context, IGrainFactory grains, InputLimits limits)
    {
        if (BadId(id) is { } bad)
        {
            return bad;
        }

        var body = request.Value;
        var missing = new List<FieldProblem>();
        Require(missing, body.Level, "level");
        if (string.IsNullOrWhiteSpace(body.Reason))
        {
            missing.Add(new("reason", "is required (ops actions are audited)"));
        }

        MaxLength(missing, body.Reason, limits.MaxReasonLength, "reason");

        return missing.Count > 0
            ? ApiResults.Invalid(missing)
            : ApiResults.From(await grains.GetGrain<IBorrowerGrain>(id).ReassignEscalationAsync(
                new EscalationReassignment(body.Level!.Value, ApiKeys.Actor(context.User), body.Reason!)));
    }

    /// <summary>The grain's upsert from a request, or every missing field (the grain checks the rules).</summary>
    internal static (BorrowerUpsert? Upsert, List<FieldProblem> Missing) ToUpsert(UpsertBorrowerRequest body)
    {
        var missing = new List<FieldProblem>();
        Require(missing, body.Phone, "phone");
        Require(missing, body.Locale, "locale");
        Require(missing, body.Region, "region");
        if (body.TimeZones is not { Count: > 0 } || body.TimeZones.Any(string.IsNullOrWhiteSpace))
        {
            missing.Add(new("timeZones", "at least one IANA time zone is required"));
        }

        if (body.Debts is null)
        {
            missing.Add(new("debts", "is required (an empty list means nothing is owed)"));
        }

        for (var i = 0; i < (body.Debts?.Count ?? 0); i++)
        {
            var debt = body.Debts![i];
            Require(missing, debt?.DebtId, $"debts[{i}].debtId");
            Require(missing, debt?.Currency, $"debts[{i}].currency");
            Require(missing, debt?.AmountDue, $"debts[{i}].amountDue");
            Require(missing, debt?.DueDate, $"debts[{i}].dueDate");
        }

        if (body.Risk is { } risk)
        {
            Require(missing, risk.LateShareLast12Months, "risk.lateShareLast12Months");
            Require(missing, risk.PriorDelinquencies, "risk.priorDelinquencies");
        }

        if (missing.Count > 0)
        {
            return (null, missing);
        }

        return (new BorrowerUpsert(
            body.Phone!, body.Locale!, [.. body.TimeZones!], body.Region!,
            [.. body.Debts!.Select(d => new DebtInput(d.DebtId!, d.AmountDue!.Value, d.Currency!, d.DueDate!.Value))],
            body.Name, body.Jurisdiction, body.Birthday, body.Segment, body.PaymentSegment, body.IsNewCustomer ?? false,
            body.Risk is { } r ? new RiskInput(r.LateShareLast12Months!.Value, r.PriorDelinquencies!.Value, r.CreditScore) : null), missing);
    }

    /// <summary>
    /// The rules and limits of an upsert, checked here before any grain is called (the grain checks again).
    /// "Today" is the borrower's local date on the business clock, in its first time zone (UTC if that is not one).
    /// </summary>
    internal static List<FieldProblem> Check(string id, BorrowerUpsert upsert, InputLimits limits, TimeProvider clock)
    {
        var zone = upsert.TimeZones.IsDefaultOrEmpty ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(upsert.TimeZones[0] ?? "");
        var today = Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(zone ?? DateTimeZone.Utc).Date;
        return [.. FieldProblems.From(BorrowerUpsertValidator.Validate(id, upsert, today, limits).Errors)];
    }

    private static void MaxLength(List<FieldProblem> problems, string? value, int max, string field)
    {
        if (InputLimits.TooLong(field, value, max) is { } error)
        {
            problems.Add(new FieldProblem(error.Path, error.Message));
        }
    }

    private static ProblemHttpResult? BadId(string id) => BorrowerIds.IsValid(id)
        ? null
        : ApiResults.Problem(StatusCodes.Status400BadRequest, "borrowerId", BorrowerIds.Rule);

    private static void Require<T>(List<FieldProblem> problems, T? value, string field)
    {
        if (value is null || (value is string s && string.IsNullOrWhiteSpace(s)))
        {
            problems.Add(new FieldProblem(field, "is required"));
        }
    }
}
