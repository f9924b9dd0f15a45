using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>A request body as read, or why it could not be read.</summary>
internal interface IJsonBody
{
    /// <summary>400 naming the field that did not read, or null when the body was read.</summary>
    ProblemHttpResult? Problem { get; }
}

/// <summary>
/// A JSON request body bound as a handler parameter, read with the API's one JSON configuration (the source-generated
/// <see cref="ApiJsonContext"/>, unknown members refused). A body that does not read never reaches the handler:
/// <see cref="JsonBodyFilter"/>, added to every endpoint with such a parameter, answers 400 with Problem Details naming
/// the field and why. The endpoint is described as accepting <typeparamref name="T"/> as <c>application/json</c>.
/// </summary>
internal sealed class JsonBody<T> : IJsonBody, IEndpointParameterMetadataProvider
    where T : class
{
    private readonly T? _value;

    private JsonBody(T? value, ProblemHttpResult? problem) => (_value, Problem) = (value, problem);

    /// <summary>The body; the filter has answered before a handler could see an unread one.</summary>
    public T Value => _value ?? throw new InvalidOperationException("the body did not read; JsonBodyFilter answers before the handler runs");

    public ProblemHttpResult? Problem { get; }

    public static async ValueTask<JsonBody<T>> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            return new(null, ApiResults.Problem(StatusCodes.Status400BadRequest, "body", "must be JSON (Content-Type: application/json)"));
        }

        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var body = (T?)await JsonSerializer.DeserializeAsync(request.Body, options.GetTypeInfo(typeof(T)), context.RequestAborted);
            return body is null ? new(null, ApiResults.Problem(StatusCodes.Status400BadRequest, "body", "must be a JSON object")) : new(body, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return new(null, ApiResults.Problem(StatusCodes.Status400BadRequest, field, "is not valid JSON for this field: " + ex.Message.Split('\n')[0].Trim()));
        }
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        // Not AcceptsMetadata: routing would answer a wrong Content-Type with a bare 415 before the binder's Problem Details.
        builder.Metadata.Add(new RequestBodyMetadata(typeof(T), "application/json"));
        if (!builder.Metadata.OfType<JsonBodyFilter>().Any())
        {
            var filter = new JsonBodyFilter();
            builder.Metadata.Add(filter);
            builder.FilterFactories.Add((_, next) => invocation => filter.InvokeAsync(invocation, next));
        }
    }
}

/// <summary>The one filter for unreadable bodies: the first <see cref="IJsonBody"/> argument that did not read answers.</summary>
internal sealed class JsonBodyFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument is IJsonBody { Problem: { } problem })
            {
                return ValueTask.FromResult<object?>(problem);
            }
        }

        return next(invocation);
    }
}
