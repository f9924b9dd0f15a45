using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Silo.Hosting;

/// <summary>
/// How large and how slow a request body may be (section <c>Api:Limits</c>, beside the value limits of
/// <see cref="InputLimits"/>). Each endpoint names its kind of body; anything else gets the small JSON limit.
/// </summary>
public sealed class RequestBodyLimitsOptions
{
    public const string SectionName = InputLimits.SectionName;

    /// <summary>Payments, promises, pause/resume, escalation: small JSON bodies.</summary>
    public long MaxJsonBodyBytes { get; set; } = 16 * 1024;

    /// <summary>PUT /borrowers/{id}: a profile with up to the maximum number of debts.</summary>
    public long MaxUpsertBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Template drafts.</summary>
    public long MaxTemplateBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Provider callbacks (read only after their signature header passed its first check).</summary>
    public long MaxWebhookBodyBytes { get; set; } = 64 * 1024;

    /// <summary>POST /borrowers/import in all: the body streams, so this only caps one request's total.</summary>
    public long MaxImportBodyBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Characters in one NDJSON line of an import; a longer line is refused with its line number, unread.</summary>
    public int MaxImportLineLength { get; set; } = 256 * 1024;

    /// <summary>A body slower than this (after the grace period) is cut off with 408.</summary>
    public double MinBodyBytesPerSecond { get; set; } = 240;

    /// <summary>How long a body may arrive slower than <see cref="MinBodyBytesPerSecond"/> (Kestrel needs more than 1 s).</summary>
    public TimeSpan BodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The Retry-After of a 503 (storage or cluster unavailable).</summary>
    public TimeSpan UnavailableRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Every problem, each naming its setting; empty when valid.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new (string, long)[]
        {
            (nameof(MaxJsonBodyBytes), MaxJsonBodyBytes), (nameof(MaxUpsertBodyBytes), MaxUpsertBodyBytes),
            (nameof(MaxTemplateBodyBytes), MaxTemplateBodyBytes), (nameof(MaxWebhookBodyBytes), MaxWebhookBodyBytes),
            (nameof(MaxImportBodyBytes), MaxImportBodyBytes), (nameof(MaxImportLineLength), MaxImportLineLength),
        })
        {
            if (value <= 0)
            {
                yield return $"{SectionName}:{name}: must be positive";
            }
        }

        if (MinBodyBytesPerSecond <= 0)
        {
            yield return $"{SectionName}:{nameof(MinBodyBytesPerSecond)}: must be positive";
        }

        if (BodyGracePeriod <= TimeSpan.FromSeconds(1))
        {
            yield return $"{SectionName}:{nameof(BodyGracePeriod)}: must be longer than 1 second";
        }
    }

    public long MaxBytesFor(BodyKind kind) => kind switch
    {
        BodyKind.Upsert => MaxUpsertBodyBytes,
        BodyKind.Template => MaxTemplateBodyBytes,
        BodyKind.Webhook => MaxWebhookBodyBytes,
        BodyKind.Import => MaxImportBodyBytes,
        _ => MaxJsonBodyBytes,
    };
}

/// <summary>The kinds of request body, each with its own size limit.</summary>
public enum BodyKind
{
    Json,
    Upsert,
    Template,
    Webhook,
    Import,
}

/// <summary>Endpoint metadata naming the body limit that applies.</summary>
public sealed record BodyLimit(BodyKind Kind);

internal static class RequestLimitsHosting
{
    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RequestBodyLimitsOptions>(RequestBodyLimitsOptions.SectionName).WithRule(o => o.Problems());
        builder.Services.AddSingleton(ReadInputLimits(builder.Configuration));
        // Kestrel's options are built with the app, before start-up validation: invalid limits leave Kestrel's
        // default here and are reported by that validation with every other problem.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestBodyLimitsOptions>>((kestrel, options) =>
        {
            if (Valid(options) is { } limits)
            {
                kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinBodyBytesPerSecond, limits.BodyGracePeriod);
            }
        });
        return builder;
    }

    private static RequestBodyLimitsOptions? Valid(IOptions<RequestBodyLimitsOptions> options)
    {
        try
        {
            return options.Value;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    /// <summary>The value limits of <c>Api:Limits</c> over their defaults; throws listing every setting that cannot work.</summary>
    internal static InputLimits ReadInputLimits(IConfiguration configuration)
    {
        var limits = configuration.GetSection(InputLimits.SectionName).Get<InputLimits>() ?? InputLimits.Default;
        return limits.Validate(InputLimits.SectionName) is { Count: > 0 } problems
            ? throw new InvalidOperationException("Invalid configuration:" + Environment.NewLine
                + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
            : limits;
    }

    /// <summary>Names the body limit of an endpoint or a group.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, BodyKind kind)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new BodyLimit(kind));

    /// <summary>
    /// Sets the matched endpoint's body limit before anything reads the body: a declared length over it is
    /// answered 413 at once; a chunked body that grows past it fails its read with 413 (see <see cref="ApiErrors"/>).
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app)
    {
        // Read per request (a cached singleton): reading it here, while the app is built, would validate it before
        // start-up validation could report it with every other problem.
        return app.Use(async (context, next) =>
            await ApplyAsync(context, next, context.RequestServices.GetRequiredService<IOptions<RequestBodyLimitsOptions>>().Value));
    }

    private static async Task ApplyAsync(HttpContext context, RequestDelegate next, RequestBodyLimitsOptions options)
    {
        var kind = context.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>()?.Kind ?? BodyKind.Json;
        var max = options.MaxBytesFor(kind);
        if (context.Request.ContentLength > max)
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "body",
                $"is {context.Request.ContentLength} bytes; this endpoint accepts at most {max} bytes (Api:Limits)");
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = max;
        }

        await next(context);
    }
}
