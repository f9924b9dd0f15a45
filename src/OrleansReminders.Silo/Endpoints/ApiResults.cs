using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>How the API answers: Problem Details for every refusal, naming the field and the reason.</summary>
internal static class ApiResults
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = false,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads a JSON body, or says exactly what is wrong with it (400).</summary>
    public static async Task<(T? Body, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "body", "must be JSON (Content-Type: application/json)"));
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, Json, request.HttpContext.RequestAborted);
            return body is null ? (null, Problem(StatusCodes.Status400BadRequest, "body", "must be a JSON object")) : (body, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, Problem(StatusCodes.Status400BadRequest, field, "is not valid JSON for this field: " + FirstLine(ex.Message)));
        }
    }

    /// <summary>A command's outcome: 200, 404 (unknown borrower or message) or 422 with every field problem.</summary>
    public static IResult From(CommandResult result) => result.Outcome switch
    {
        CommandOutcome.Accepted => TypedResults.Ok(new { outcome = "accepted", message = result.Message }),
        CommandOutcome.NotFound => Problem(StatusCodes.Status404NotFound, "borrowerId", result.Message ?? "not found"),
        _ => Invalid(result.Problems),
    };

    /// <summary>422: the request was well-formed but its values break the rules; every field with its reasons.</summary>
    public static ProblemHttpResult Invalid(IEnumerable<FieldProblem> problems) => TypedResults.Problem(
        new HttpValidationProblemDetails(problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The request has invalid fields; nothing was changed.",
            Detail = string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}")),
        });

    public static ProblemHttpResult Problem(int status, string field, string reason) =>
        TypedResults.Problem($"{field}: {reason}", statusCode: status, extensions: new Dictionary<string, object?> { ["field"] = field });

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
