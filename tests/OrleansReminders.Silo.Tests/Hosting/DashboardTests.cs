using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Tests.Hosting;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c> of the real host on 127.0.0.1: the page, its assets and its
/// data API need the ops role, by <c>X-Api-Key</c> or by HTTP Basic with the key as password.
/// </summary>
public sealed class DashboardTests : IAsyncLifetime
{
    private const string Challenge = "Basic realm=\"OrleansReminders\"";

    private ServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync(new Dictionary<string, string?>
    {
        ["Api:Keys:0:Name"] = "reporting", ["Api:Keys:0:Sha256"] = ApiKeys.Hash("reader-key"), ["Api:Keys:0:Roles:0"] = "reader",
        ["Api:Keys:1:Name"] = "ops-console", ["Api:Keys:1:Sha256"] = ApiKeys.Hash("ops-key"), ["Api:Keys:1:Roles:0"] = "ops",
        ["Api:Keys:2:Name"] = "owner", ["Api:Keys:2:Sha256"] = ApiKeys.Hash("admin-key"), ["Api:Keys:2:Roles:0"] = "admin",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/index.min.js")]
    [InlineData("/dashboard/DashboardCounters")]
    [InlineData("/dashboard/GrainTypes")]
    public async Task WithoutCredentialsTheDashboardAndItsSubPathsAnswer401WithABasicChallenge(string path)
    {
        using var response = await GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(Challenge, Assert.Single(response.Headers.WwwAuthenticate).ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownOrMalformedCredentialsAnswer401WithTheChallengeSoTheBrowserAsksAgain()
    {
        using var wrongPassword = await GetAsync("/dashboard/", basic: ("ops-console", "not-a-key"));
        using var unknownHeader = await GetAsync("/dashboard/", header: "not-a-key");
        using var notBase64 = await GetAsync("/dashboard/", authorization: new AuthenticationHeaderValue("Basic", "%%%"));
        using var noColon = await GetAsync("/dashboard/", authorization: new AuthenticationHeaderValue("Basic", Convert.ToBase64String("ops-key"u8)));
        using var emptyPassword = await GetAsync("/dashboard/", basic: ("ops-console", ""));

        foreach (var response in new[] { wrongPassword, unknownHeader, notBase64, noColon, emptyPassword })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(Challenge, Assert.Single(response.Headers.WwwAuthenticate).ToString());
        }
    }

    [Fact]
    public async Task AReaderKeyIsRefusedWith403ByHeaderAndByBasic()
    {
        using var byHeader = await GetAsync("/dashboard/", header: "reader-key");
        using var byBasic = await GetAsync("/dashboard/", basic: ("reporting", "reader-key"));
        using var dataByBasic = await GetAsync("/dashboard/DashboardCounters", basic: ("anyone", "reader-key"));

        foreach (var response in new[] { byHeader, byBasic, dataByBasic })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Empty(response.Headers.WwwAuthenticate);
        }
    }

    [Fact]
    public async Task AnOpsKeyByBasicGetsTheDashboardPageItsScriptAndItsData()
    {
        // A browser sends whatever user name it was given: the key's name or anything else.
        using var page = await GetAsync("/dashboard/", basic: ("ops-console", "ops-key"));
        using var script = await GetAsync("/dashboard/index.min.js", basic: ("someone", "ops-key"));
        using var counters = await GetAsync("/dashboard/DashboardCounters", basic: ("someone", "ops-key"));
        using var grainTypes = await GetAsync("/dashboard/GrainTypes", basic: ("", "ops-key"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 10_000);

        Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
        var body = await counters.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Array, body.GetProperty("hosts").ValueKind);
        Assert.Equal(100, body.GetProperty("totalActivationCountHistory").GetArrayLength()); // the dashboard's history length

        Assert.Equal(HttpStatusCode.OK, grainTypes.StatusCode);
        var types = (await grainTypes.Content.ReadFromJsonAsync<string[]>())!;
        Assert.Contains("OrleansReminders.Grains.Borrowers.BorrowerGrain", types); // this cluster's grains
    }

    [Fact]
    public async Task AnOpsOrAdminKeyByTheHeaderGetsTheDashboardAsEverywhereElse()
    {
        using var ops = await GetAsync("/dashboard/", header: "ops-key");
        using var opsData = await GetAsync("/dashboard/GrainTypes", header: "ops-key");
        using var admin = await GetAsync("/dashboard/", basic: ("owner", "admin-key"));

        Assert.Equal(HttpStatusCode.OK, ops.StatusCode);
        Assert.Contains("<title>Orleans Dashboard</title>", await ops.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, opsData.StatusCode);
        Assert.Contains("OrleansReminders.Grains.Borrowers.BorrowerGrain", (await opsData.Content.ReadFromJsonAsync<string[]>())!);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task BasicCredentialsAreNotAcceptedByTheApi()
    {
        using var basic = await GetAsync("/borrowers/b-1", basic: ("ops-console", "ops-key"));
        using var header = await GetAsync("/borrowers/b-1", header: "ops-key");

        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        Assert.Empty(basic.Headers.WwwAuthenticate); // no browser prompt outside the dashboard
        Assert.Equal(HttpStatusCode.NotFound, header.StatusCode); // the key is fine, the borrower does not exist
    }

    [Fact]
    public async Task TheBarePathRedirectsToTheSlashedOneOnlyAfterTheCheck()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var anonymous = await client.GetAsync(new Uri(_host.BaseAddress, "/dashboard"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_host.BaseAddress, "/dashboard"));
        request.Headers.Authorization = Basic("ops-console", "ops-key");
        using var ops = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, ops.StatusCode);
        Assert.Equal("/dashboard/", ops.Headers.Location?.ToString());
    }

    [Fact]
    public async Task TheLogStreamIsOffAndTheDashboardIsNotInTheOpenApiDocument()
    {
        using var trace = await GetAsync("/dashboard/Trace", header: "ops-key");
        var document = await _host.Http.GetFromJsonAsync<JsonElement>(new Uri(_host.BaseAddress, "/openapi/v1.json"));

        Assert.Equal(HttpStatusCode.Forbidden, trace.StatusCode);
        Assert.Equal("Trace Endpoint Disabled", (await trace.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/borrowers/{id}", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/dashboard", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DisabledThereIsNoDashboard()
    {
        await using var host = await ServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["Dashboard:Enabled"] = "false",
            ["Api:Keys:0:Name"] = "ops-console", ["Api:Keys:0:Sha256"] = ApiKeys.Hash("ops-key"), ["Api:Keys:0:Roles:0"] = "ops",
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, "/dashboard/"));
        request.Headers.Add(ApiKeyAuthenticationHandler.Header, "ops-key");

        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("Dashboard:Path", "dashboard")]
    [InlineData("Dashboard:Path", "/dashboard/")]
    [InlineData("Dashboard:Path", "/")]
    [InlineData("Dashboard:CounterUpdateInterval", "00:00:00.100")]
    public async Task InvalidSettingsStopStartUpNamingTheSetting(string setting, string value)
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ServiceHost.StartAsync(new Dictionary<string, string?> { [setting] = value }));

        Assert.Contains(setting + ":", failure.Message, StringComparison.Ordinal);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    private async Task<HttpResponseMessage> GetAsync(
        string path, string? header = null, (string User, string Password)? basic = null, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_host.BaseAddress, path));
        if (header is not null)
        {
            request.Headers.Add(ApiKeyAuthenticationHandler.Header, header);
        }

        request.Headers.Authorization = basic is { } b ? Basic(b.User, b.Password) : authorization;
        return await _host.Http.SendAsync(request);
    }
}
