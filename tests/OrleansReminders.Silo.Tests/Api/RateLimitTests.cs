using System.Net;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Tests.Api;

public sealed class RateLimitTests
{
    /// <summary>A key over its per-second budget gets 429 Problem Details with Retry-After; another key is not affected.</summary>
    [Fact]
    public async Task EachKeyHasItsOwnBudget()
    {
        await using var host = await ServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["Api:RequestsPerSecondPerKey"] = "5",
            ["Api:Keys:0:Name"] = "busy", ["Api:Keys:0:Sha256"] = ApiKeys.Hash("busy-key"), ["Api:Keys:0:Roles:0"] = "reader",
            ["Api:Keys:1:Name"] = "quiet", ["Api:Keys:1:Sha256"] = ApiKeys.Hash("quiet-key"), ["Api:Keys:1:Roles:0"] = "reader",
        });

        var busy = new List<HttpResponseMessage>();
        for (var i = 0; i < 20; i++)
        {
            busy.Add(await GetAsync(host, "busy-key"));
        }

        var quiet = await GetAsync(host, "quiet-key");

        var limited = busy.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));
        // The fixed one-second window tells the client how long to wait: whole seconds, at least one.
        Assert.All(limited, r => Assert.InRange(r.Headers.RetryAfter?.Delta?.TotalSeconds ?? -1, 1, 2));
        Assert.Equal(HttpStatusCode.NotFound, quiet.StatusCode); // unknown borrower, but not limited
    }

    private static async Task<HttpResponseMessage> GetAsync(ServiceHost host, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, "/borrowers/nobody"));
        request.Headers.Add(ApiKeyAuthenticationHandler.Header, key);
        return await host.Http.SendAsync(request);
    }
}
