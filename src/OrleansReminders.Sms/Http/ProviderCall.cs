using System.Net.Http.Headers;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Sms.Http;

/// <summary>
/// The part every HTTP adapter shares: one request under a time limit, with the call's own failures
/// (timeout, refused connection, reset) turned into transient results, as the <see cref="ISmsSender"/>
/// port asks. The caller's cancellation is not a failure and still throws.
/// </summary>
internal static class ProviderCall
{
    /// <summary>Sends the request and maps the provider's answer; <paramref name="timeout"/> is real (wall-clock) time.</summary>
    public static async Task<SmsSendResult> SendAsync(
        HttpClient httpClient,
        HttpRequestMessage request,
        TimeSpan timeout,
        Func<HttpResponseMessage, string, SmsSendResult> map,
        CancellationToken cancellationToken)
    {
        // Network time limits are about the wire, not the business clock (which may run scaled), so the
        // limit is a plain CancelAfter rather than a timer from the injected TimeProvider.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, limit.Token);
            var body = await response.Content.ReadAsStringAsync(limit.Token);
            return map(response, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Either our limit or HttpClient.Timeout fired: the provider may or may not have the message.
            return new SmsSendResult(SmsSendStatus.Transient, Code: "timeout", Detail: $"No answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            return new SmsSendResult(SmsSendStatus.Transient, Code: "network", Detail: ex.HttpRequestError.ToString());
        }
    }

    /// <summary>The <c>Retry-After</c> header as a delay (seconds or an HTTP date), or null without one.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, TimeProvider timeProvider)
    {
        var value = headers.RetryAfter;
        if (value?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (value?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    public static bool IsServerError(HttpResponseMessage response) => (int)response.StatusCode >= 500;

    public static string HttpCode(HttpResponseMessage response) => $"http-{(int)response.StatusCode}";
}
