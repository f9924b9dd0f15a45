using Microsoft.AspNetCore.Http.HttpResults;
using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>How the API answers: Problem Details for every refusal, naming the field and the reason.</summary>
internal static class ApiResults
{
    /// <summary>A command's outcome: 200, 404 (unknown borrower or message) or 422 with every field problem.</summary>
    public static Results<Ok<CommandAnswer>, ProblemHttpResult> From(CommandResult result) => result.Outcome switch
    {
        CommandOutcome.Accepted => TypedResults.Ok(new CommandAnswer("accepted", result.Message)),
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
}

/// <summary>A command the service took: <c>outcome</c> is always "accepted"; <c>message</c> says what it did (e.g. "payment already recorded").</summary>
public sealed record CommandAnswer(string Outcome, string? Message);
