using Microsoft.AspNetCore.Http.HttpResults;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Templates;
using OrleansReminders.Domain.Common;
using OrleansReminders.Grains.Borrowers;
using OrleansReminders.Grains.Templates;
using OrleansReminders.Silo.Hosting;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>
/// Templates by key (<c>/templates/{stage}/{tier}/{locale}/{variant}</c>): read (reader); save a draft and
/// get its lint result, approve, retire (ops, the key's name recorded as reviewer). 404 unknown template,
/// 409 wrong lifecycle step (e.g. editing an approved template), 422 invalid draft or lint errors.
/// </summary>
internal static class TemplateEndpoints
{
    public static RouteGroupBuilder MapTemplates(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup("/templates/{stage}/{tier}/{locale}/{variant}").WithTags("Templates").WithBodyLimit(BodyKind.Template);
        templates.MapGet("", GetAsync).RequireAuthorization(ApiRoles.Reader).WithSummary("A template, its status and its last lint findings.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        Command(templates.MapPut("", SaveAsync).RequireAuthorization(ApiRoles.Ops).WithSummary("Saves a draft and lints it."));
        Command(templates.MapPost("/approve", async (string stage, string tier, string locale, string variant, HttpContext context, IGrainFactory grains) =>
                From(await Grain(grains, stage, tier, locale, variant).ApproveAsync(ApiKeys.Actor(context.User))))
            .RequireAuthorization(ApiRoles.Ops).WithSummary("Approves a lint-clean draft."));
        Command(templates.MapPost("/retire", async (string stage, string tier, string locale, string variant, HttpContext context, IGrainFactory grains) =>
                From(await Grain(grains, stage, tier, locale, variant).RetireAsync(ApiKeys.Actor(context.User))))
            .RequireAuthorization(ApiRoles.Ops).WithSummary("Retires an approved template."));
        return templates;
    }

    /// <summary>A lifecycle step: 404 unknown template, 409 wrong step, 422 invalid draft or lint errors.</summary>
    private static void Command(RouteHandlerBuilder command) => command
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

    private static async Task<Results<Ok<TemplateView>, ProblemHttpResult>> GetAsync(
        string stage, string tier, string locale, string variant, IGrainFactory grains) =>
        await Grain(grains, stage, tier, locale, variant).GetAsync() is { } view
            ? TypedResults.Ok(view)
            : ApiResults.Problem(StatusCodes.Status404NotFound, "template", "no template with this key");

    private static async Task<Results<Ok<TemplateView>, ProblemHttpResult>> SaveAsync(
        string stage, string tier, string locale, string variant, JsonBody<TemplateDraftRequest> request, IGrainFactory grains, InputLimits limits)
    {
        var body = request.Value;
        if (body.Body is null)
        {
            return ApiResults.Invalid([new FieldProblem("body", "is required")]);
        }

        if (InputLimits.TooLong("body", body.Body, limits.MaxTemplateTextLength) is { } tooLong)
        {
            return ApiResults.Invalid(FieldProblems.From([tooLong]));
        }

        return From(await Grain(grains, stage, tier, locale, variant).SaveDraftAsync(new TemplateDraft(body.Body, body.MaxSegments ?? 2)));
    }

    private static ITemplateGrain Grain(IGrainFactory grains, string stage, string tier, string locale, string variant) =>
        grains.GetGrain<ITemplateGrain>(TemplateGrain.KeyFor(stage, tier, locale, variant));

    private static Results<Ok<TemplateView>, ProblemHttpResult> From(TemplateResult result) => result switch
    {
        { Outcome: CommandOutcome.Accepted } => TypedResults.Ok(result.Template!),
        { Outcome: CommandOutcome.NotFound } => ApiResults.Problem(StatusCodes.Status404NotFound, "template", result.Conflict ?? "not found"),
        { Problems.Length: 0, Conflict: { } conflict } => ApiResults.Problem(StatusCodes.Status409Conflict, "status", conflict),
        _ => ApiResults.Invalid(result.Problems),
    };
}
