using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace OrleansReminders.Sms.Tests.Http;

/// <summary>
/// A stand-in for Twilio's Messages endpoint that checks requests the way Twilio does (path with the
/// account SID, Basic auth, form body with To, From or MessagingServiceSid, Body, ValidityPeriod 1..36000,
/// StatusCallback an absolute URL) and answers in Twilio's shapes. The destination number picks the answer:
/// Twilio's test numbers +15005550001 (21211 invalid), +15005550009 (21614 not a mobile) and +15005550004
/// (21610 unsubscribed, Twilio's "blocked" test number), plus ours for 429, 500 and a slow answer.
/// A check that fails answers 400 with a code starting "stub:" that says which.
/// </summary>
public sealed class TwilioStub : IAsyncLifetime
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "stub-auth-token";
    public const string From = "+15005550006";
    public const string ThrottledNumber = "+14155550429";
    public const string FailingNumber = "+14155550500";
    public const string SlowNumber = "+14155550999";

    private StubServer? _server;

    /// <summary>Business "now" for every test of the class (never advanced, so values are exact).</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    /// <summary>Every request that passed the checks, by the sid it was given.</summary>
    public ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> Accepted { get; } = new();

    /// <summary>How many requests reached the stub at all.</summary>
    public int RequestCount => _requestCount;

    private int _requestCount;

    public Uri BaseAddress => _server!.BaseAddress;

    public async Task InitializeAsync() =>
        _server = await StubServer.StartAsync(app => app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", HandleAsync));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task<IResult> HandleAsync(string sid, HttpContext context)
    {
        Interlocked.Increment(ref _requestCount);
        var expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
        if (sid != AccountSid || context.Request.Headers.Authorization != expectedAuth)
        {
            return Error(401, 20003, "Authentication Error - invalid username");
        }

        if (!context.Request.HasFormContentType)
        {
            return Error(400, "stub:not-a-form", "Expected application/x-www-form-urlencoded");
        }

        var form = (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
        if (Check(form) is { } problem)
        {
            return problem;
        }

        switch (form["To"])
        {
            case "+15005550001":
                return Error(400, 21211, $"The 'To' number {form["To"]} is not a valid phone number.");
            case "+15005550009":
                return Error(400, 21614, $"'To' number {form["To"]} is not a valid mobile number");
            case "+15005550004":
                return Error(400, 21610, "Attempt to send to unsubscribed recipient");
            case ThrottledNumber:
                context.Response.Headers.RetryAfter = "7";
                return Error(429, 20429, "Too Many Requests");
            case FailingNumber:
                return Error(500, 20500, "An internal server error has occurred");
            case SlowNumber:
                await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted);
                break;
        }

        var messageSid = "SM" + Guid.NewGuid().ToString("N");
        Accepted[messageSid] = form;
        return Results.Json(new
        {
            sid = messageSid,
            account_sid = AccountSid,
            to = form["To"],
            from = form.GetValueOrDefault("From"),
            messaging_service_sid = form.GetValueOrDefault("MessagingServiceSid"),
            body = form["Body"],
            status = "queued",
            api_version = "2010-04-01",
            uri = $"/2010-04-01/Accounts/{AccountSid}/Messages/{messageSid}.json",
        }, statusCode: 201);
    }

    private static IResult? Check(Dictionary<string, string> form)
    {
        if (string.IsNullOrEmpty(form.GetValueOrDefault("To")))
        {
            return Error(400, 21604, "A 'To' phone number is required.");
        }

        if (string.IsNullOrEmpty(form.GetValueOrDefault("From")) && string.IsNullOrEmpty(form.GetValueOrDefault("MessagingServiceSid")))
        {
            return Error(400, 21603, "A 'From' phone number is required.");
        }

        if (string.IsNullOrEmpty(form.GetValueOrDefault("Body")))
        {
            return Error(400, 21602, "Message body is required.");
        }

        if (form.TryGetValue("ValidityPeriod", out var validity)
            && (!int.TryParse(validity, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 36_000))
        {
            return Error(400, "stub:validity-period", $"ValidityPeriod must be an integer 1..36000, got '{validity}'");
        }

        if (form.TryGetValue("StatusCallback", out var callback) && !Uri.TryCreate(callback, UriKind.Absolute, out _))
        {
            return Error(400, "stub:status-callback", $"StatusCallback must be an absolute URL, got '{callback}'");
        }

        return null;
    }

    private static IResult Error(int status, object code, string message) =>
        Results.Json(new { code, message, more_info = $"https://www.twilio.com/docs/errors/{code}", status }, statusCode: status);
}
