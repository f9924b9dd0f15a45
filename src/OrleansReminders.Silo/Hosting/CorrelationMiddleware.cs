using Serilog.Context;

namespace OrleansReminders.Silo.Hosting;

/// <summary>
/// Every request gets a correlation id (the caller's <c>X-Correlation-Id</c> when it sends a sane one,
/// else a new one), echoed in the response; it and the borrower id of the route are on every log event
/// written while the request runs (including the request log line).
/// </summary>
internal static class CorrelationMiddleware
{
    public const string Header = "X-Correlation-Id";

    public static IApplicationBuilder UseCorrelation(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var given = context.Request.Headers[Header].ToString();
        var id = given.Length is > 0 and <= 64 && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? given
            : Guid.NewGuid().ToString("N");
        context.Response.Headers[Header] = id;
        using (LogContext.PushProperty("CorrelationId", id))
        using (LogContext.PushProperty("BorrowerId", context.GetRouteValue("id") as string))
        {
            await next(context);
        }
    });
}
