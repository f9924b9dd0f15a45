using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Tests.Api;

public sealed class TemplateApiTests : IAsyncLifetime
{
    private const string Path = "/templates/reminder.due/medium/en-US/default";
    private ServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync(new Dictionary<string, string?>
    {
        ["Api:Keys:0:Name"] = "reporting", ["Api:Keys:0:Sha256"] = ApiKeys.Hash("reader-key"), ["Api:Keys:0:Roles:0"] = "reader",
        ["Api:Keys:1:Name"] = "content-team", ["Api:Keys:1:Sha256"] = ApiKeys.Hash("ops-key"), ["Api:Keys:1:Roles:0"] = "ops",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ADraftIsLintedApprovedWhenCleanImmutableOnceApprovedAndRetiredForGood()
    {
        var broken = await SendAsync(HttpMethod.Put, Path, "ops-key", new { body = "Hi {{nmae}}, {{amount}} is due. Reply STOP to opt out.", maxSegments = 2 });
        var refused = await SendAsync(HttpMethod.Post, Path + "/approve", "ops-key");
        var fixedDraft = await SendAsync(HttpMethod.Put, Path, "ops-key", new { body = "Hi {{name}}, {{amount}} is due. Reply STOP to opt out.", maxSegments = 2 });
        var approved = await SendAsync(HttpMethod.Post, Path + "/approve", "ops-key");
        var edit = await SendAsync(HttpMethod.Put, Path, "ops-key", new { body = "changed", maxSegments = 2 });
        var retired = await SendAsync(HttpMethod.Post, Path + "/retire", "ops-key");
        var again = await SendAsync(HttpMethod.Post, Path + "/approve", "ops-key");
        var read = await SendAsync(HttpMethod.Get, Path, "reader-key");

        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        Assert.Contains("placeholder.unknown", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fixedDraft.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var view = await approved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("approved", view.GetProperty("status").GetString());
        Assert.Equal("key:content-team", view.GetProperty("approvedBy").GetString());
        Assert.Equal(HttpStatusCode.Conflict, edit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("retired", (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnknownTemplatesBadKeysAndMissingRolesAreRefused()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/templates/none/low/en-US/default", "reader-key")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendAsync(HttpMethod.Put, "/templates/x/platinum/en-US/default", "ops-key", new { body = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendAsync(HttpMethod.Put, "/templates/x/low/en-US/default", "ops-key", new { maxSegments = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Put, "/templates/x/low/en-US/default", "reader-key", new { body = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/templates/none/low/en-US/default/retire", "ops-key")).StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_host.BaseAddress, path));
        request.Headers.Add(ApiKeyAuthenticationHandler.Header, key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await _host.Http.SendAsync(request);
    }
}
