using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;

namespace OrleansReminders.Silo.Hosting;

/// <summary>
/// The one place where an exception becomes an HTTP status. A body over its limit → 413; a body that
/// arrives too slowly → 408; an unreadable request → 400; storage or cluster unavailable (a database
/// error, a grain call that timed out or could not be delivered) → 503 with <c>Retry-After</c>; anything
/// else → 500 with the correlation id and no stack trace in the body (the stack trace goes to the log).
/// Every answer is a Problem Details body. A client that went away gets nothing.
/// </summary>
internal static partial class ApiErrors
{
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client closed the connection: there is no one to answer.
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            await AnswerAsync(context, exception);
        }
    });

    /// <summary>A Problem Details answer naming the field and the reason.</summary>
    public static Task WriteAsync(HttpContext context, int status, string field, string reason, IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?> { ["field"] = field };
        foreach (var (key, value) in extra ?? new Dictionary<string, object?>())
        {
            extensions[key] = value;
        }

        return Results.Problem($"{field}: {reason}", statusCode: status, extensions: extensions).ExecuteAsync(context);
    }

    /// <summary>The status an exception maps to (exposed for the mapping's own tests).</summary>
    public static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ when IsUnavailable(exception) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>True when the exception (or one inside it) says storage or the cluster cannot be reached right now.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
                    or InconsistentStateException or Contracts.Errors.ServiceUnavailableException
                || Grains.Hosting.InfrastructureExceptionFilter.IsInfrastructure(e)
                || (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsUnavailable)))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task AnswerAsync(HttpContext context, Exception exception)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiErrors).FullName!);
        var status = StatusFor(exception);
        context.Response.StatusCode = status;
        switch (status)
        {
            case StatusCodes.Status413PayloadTooLarge:
                var max = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
                LogRefused(logger, status, exception.Message);
                await WriteAsync(context, status, "body", $"is larger than this endpoint accepts ({max} bytes, Api:Limits)");
                break;
            case StatusCodes.Status408RequestTimeout:
                LogRefused(logger, status, exception.Message);
                await WriteAsync(context, status, "body", "arrived too slowly (Api:Limits:MinBodyBytesPerSecond after Api:Limits:BodyGracePeriod)");
                break;
            case StatusCodes.Status503ServiceUnavailable:
                var wait = context.RequestServices.GetRequiredService<IOptions<RequestBodyLimitsOptions>>().Value.UnavailableRetryAfter;
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                LogUnavailable(logger, exception.GetType().Name, exception.Message);
                await WriteAsync(context, status, "service", "storage or the cluster is unavailable right now; nothing was changed by this answer, retry later");
                break;
            case < StatusCodes.Status500InternalServerError:
                LogRefused(logger, status, exception.Message);
                await WriteAsync(context, status, "request", "could not be read: " + exception.Message);
                break;
            default:
                var correlation = context.Response.Headers[CorrelationMiddleware.Header].ToString();
                LogUnexpected(logger, exception);
                await WriteAsync(context, status, "service", $"an unexpected error occurred; quote correlation id {correlation} when reporting it",
                    new Dictionary<string, object?> { ["correlationId"] = correlation });
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request refused with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered 503: storage or cluster unavailable ({ExceptionType}: {Reason})")]
    private static partial void LogUnavailable(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error answered with 500")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);
}
