using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using OrleansReminders.Silo.Hosting;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>, and checked in as <c>src/OrleansReminders.Silo/openapi/v1.json</c>): what
/// the endpoints' metadata says, completed here with what cuts across them. Every body an endpoint reads, with its
/// content types and an example; the API-key scheme, with the role each operation needs; and the Problem Details of
/// the refusals every operation can give: 400 for an unreadable body, 401 and 403 for keys, 429 for the rate limit,
/// 503 while storage or the cluster is down.
/// </summary>
internal static class ApiDocument
{
    public const string SecurityScheme = "apiKey";

    private const string Problem = "application/problem+json";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "OrleansReminders API";
            document.Info.Description = "Borrowers (status, history, upsert, payments, promises, pause/resume, escalation), bulk import, " +
                "templates, reports and provider webhooks. Send the API key in the X-Api-Key header. Every refusal is a Problem Details " +
                "body; `field` names the field it is about.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SecurityScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.Header,
                Description = "A key configured under Api:Keys. Its roles decide what it may call: reader < ingest, ops < admin " +
                    "(admin may call everything, every role may read).",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(DescribeAsync);
        // Amounts are decimal: a generated client gets decimal, not double, for money.
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if ((Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type) == typeof(decimal))
            {
                schema.Format = "decimal";
            }

            return Task.CompletedTask;
        });
    }

    private static async Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];
        if (metadata.OfType<RequestBodyMetadata>().FirstOrDefault() is { } body)
        {
            var schema = await SchemaAsync(body.BodyType, context, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = body.ContentTypes.ToDictionary(type => type, type => new OpenApiMediaType { Schema = schema, Example = ApiExamples.Of(body.BodyType, type) }),
            };
            await AddProblemAsync(operation, context, StatusCodes.Status400BadRequest,
                "The body did not read, or a parameter is malformed: `field` names it.", cancellationToken);
        }

        var roles = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
        if (roles.Count > 0)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecurityScheme, context.Document)] = [] }];
            var note = string.Join("; ", roles.Select(role => $"Role: {role} (keys with {string.Join(", ", ApiRoles.Satisfying(role))})."));
            operation.Description = string.IsNullOrEmpty(operation.Description) ? note : operation.Description + "\n\n" + note;
            await AddProblemAsync(operation, context, StatusCodes.Status401Unauthorized, "No API key, or one that is not configured.", cancellationToken);
            await AddProblemAsync(operation, context, StatusCodes.Status403Forbidden, "The key's roles do not include this operation's.", cancellationToken);
        }

        if (metadata.OfType<BodyLimit>().Any() && operation.RequestBody is not null)
        {
            await AddProblemAsync(operation, context, StatusCodes.Status413PayloadTooLarge, "The body is over its limit (Api:Limits).", cancellationToken);
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            await AddProblemAsync(operation, context, StatusCodes.Status429TooManyRequests, "Over the key's request rate; retry after Retry-After.", cancellationToken);
        }

        await AddProblemAsync(operation, context, StatusCodes.Status503ServiceUnavailable,
            "Storage or the cluster is unavailable; nothing was changed. Retry after Retry-After.", cancellationToken);
        foreach (var (status, response) in operation.Responses)
        {
            if (response is OpenApiResponse { Content: { } content } && content.ContainsKey(Problem) && status.StartsWith('4') && string.IsNullOrEmpty(response.Description))
            {
                response.Description = "Refused: Problem Details.";
            }
        }

        if (metadata.OfType<ResponseExampleMetadata>().FirstOrDefault() is { } example
            && operation.Responses.TryGetValue("200", out var ok) && ok.Content?.TryGetValue("application/json", out var media) == true)
        {
            media.Example = ApiExamples.Of(example.BodyType, "application/json");
        }
    }

    /// <summary>Adds a Problem Details answer for <paramref name="status"/> unless the endpoint declared one.</summary>
    private static async Task AddProblemAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, string description, CancellationToken cancellationToken)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [Problem] = new() { Schema = await SchemaAsync(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context, cancellationToken) },
            },
        };
    }

    /// <summary>The schema of <paramref name="type"/>, as a component of the document (named after the type).</summary>
    private static async Task<IOpenApiSchema> SchemaAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (type == typeof(string))
        {
            return new OpenApiSchema { Type = JsonSchemaType.String };
        }

        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
        {
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
        }

        return new OpenApiSchemaReference(type.Name, document);
    }
}

/// <summary>The type an endpoint reads as its body and the content types it takes, for the OpenAPI document.</summary>
internal sealed record RequestBodyMetadata(Type BodyType, params string[] ContentTypes);

/// <summary>Asks the OpenAPI document for an example of the endpoint's 200 answer.</summary>
internal sealed record ResponseExampleMetadata(Type BodyType);

/// <summary>Examples of the main bodies, as a client would send or receive them.</summary>
internal static class ApiExamples
{
    public static JsonNode? Of(Type type, string contentType) => contentType switch
    {
        "application/x-ndjson" => JsonValue.Create(
            """{"id":"b-1","phone":"+8613812345678","locale":"zh-CN","timeZones":["Asia/Shanghai"],"region":"CN","debts":[{"debtId":"loan-1","amountDue":1500,"currency":"CNY","dueDate":"2026-12-01"}]}""" + "\n"),
        "text/csv" => JsonValue.Create(
            "id,phone,locale,timeZones,region,debtId,amountDue,currency,dueDate\nb-1,+8613812345678,zh-CN,Asia/Shanghai,CN,loan-1,1500,CNY,2026-12-01\n"),
        _ => type.Name switch
        {
            nameof(UpsertBorrowerRequest) => JsonNode.Parse("""
                {"phone":"+8613812345678","name":"Li Lei","locale":"zh-CN","timeZones":["Asia/Shanghai"],"region":"CN",
                 "debts":[{"debtId":"loan-1","amountDue":1500,"currency":"CNY","dueDate":"2026-12-01"}],
                 "risk":{"lateShareLast12Months":0.2,"priorDelinquencies":1}}
                """),
            nameof(PaymentRequest) => JsonNode.Parse("""{"paymentId":"pay-2026-0001","amount":500,"currency":"CNY"}"""),
            nameof(PromiseRequest) => JsonNode.Parse("""{"until":"2026-12-15","kind":"promise","reason":"salary on the 15th"}"""),
            nameof(OpsActionRequest) => JsonNode.Parse("""{"reason":"dispute opened by the borrower"}"""),
            nameof(ReassignRequest) => JsonNode.Parse("""{"level":1,"reason":"two promises broken"}"""),
            nameof(TemplateDraftRequest) => JsonNode.Parse(
                """{"body":"[Lender] {{ name }}, {{ amount }} {{ currency }} was due on {{ dueDate }}. Pay: {{ link }} Help: {{ hotline }}. Reply STOP to opt out.","maxSegments":2}"""),
            nameof(CommandAnswer) => JsonNode.Parse("""{"outcome":"accepted","message":"payment recorded"}"""),
            _ => null,
        },
    };
}
