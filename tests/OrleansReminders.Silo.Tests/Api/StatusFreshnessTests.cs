using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansReminders.Silo.Tests.Api;

/// <summary>
/// What <c>GET /borrowers/{id}</c> promises a client (the README's "Status freshness"): an entity tag over the
/// content, conditional GET, the business time the answer was computed at, and every acknowledged change in it.
/// </summary>
public sealed class StatusFreshnessTests(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task TheStatusNamesItsContentWithTheSameTagFromTheGrainAndFromTheSilosCache()
    {
        await PutAsync("fresh-1");
        var fromGrain = await GetAsync("fresh-1"); // the first read asks the grain
        var fromCache = await GetAsync("fresh-1"); // the grain put its answer in this silo's cache

        foreach (var response in new[] { fromGrain, fromCache })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotNull(response.Headers.ETag);
            Assert.False(response.Headers.ETag!.IsWeak);
            Assert.True(response.Headers.CacheControl?.Private);
            Assert.True(response.Headers.CacheControl?.NoCache);
            var asOf = DateTimeOffset.Parse(Assert.Single(response.Headers.GetValues("As-Of")), CultureInfo.InvariantCulture);
            Assert.InRange(asOf, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        }

        Assert.Equal(fromGrain.Headers.ETag, fromCache.Headers.ETag);
        Assert.Equal(await fromGrain.Content.ReadAsStringAsync(), await fromCache.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("fresh-304-a", "{0}")]
    [InlineData("fresh-304-b", "W/{0}")]
    [InlineData("fresh-304-c", "\"someone-else\", {0}")]
    [InlineData("fresh-304-d", "*")]
    public async Task AClientHoldingTheCurrentTagGets304AndNoBody(string id, string ifNoneMatch)
    {
        await PutAsync(id);
        var first = await GetAsync(id);
        var tag = first.Headers.ETag!.Tag;

        var again = await GetAsync(id, string.Format(CultureInfo.InvariantCulture, ifNoneMatch, tag));

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(tag, again.Headers.ETag?.Tag);
        Assert.Single(again.Headers.GetValues("As-Of"));
    }

    [Fact]
    public async Task AnAcknowledgedChangeIsInTheNextAnswerUnderANewTag()
    {
        await PutAsync("fresh-2");
        var before = await GetAsync("fresh-2");
        var tag = before.Headers.ETag!.Tag;

        var payment = await api.SendAsync(HttpMethod.Post, "/borrowers/fresh-2/payments", "ingest-key",
            new { paymentId = "pay-1", amount = 100m, currency = "CNY" });
        Assert.Equal(HttpStatusCode.OK, payment.StatusCode);
        var after = await GetAsync("fresh-2", tag);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode); // the old tag no longer matches
        Assert.NotEqual(tag, after.Headers.ETag!.Tag);
        Assert.Equal(1500m, (await before.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outstanding").GetDecimal());
        Assert.Equal(1400m, (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outstanding").GetDecimal());
    }

    [Theory]
    [InlineData("not-a-tag")]
    [InlineData("\"someone-else\"")]
    public async Task AnUnparsableOrOtherTagGetsTheFullAnswer(string ifNoneMatch)
    {
        await PutAsync("fresh-3");

        var response = await GetAsync("fresh-3", ifNoneMatch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fresh-3", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("borrowerId").GetString());
    }

    [Fact]
    public async Task AnUnknownBorrowerIsA404WithoutATag()
    {
        var response = await GetAsync("fresh-nobody", "*");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.ETag);
    }

    private async Task PutAsync(string id) =>
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Put, "/borrowers/" + id, "ingest-key", ApiHostFixture.ValidBorrower())).StatusCode);

    private Task<HttpResponseMessage> GetAsync(string id, string? ifNoneMatch = null) =>
        api.SendAsync(HttpMethod.Get, "/borrowers/" + id, "reader-key", headers: ifNoneMatch is null ? null : h => h.TryAddWithoutValidation("If-None-Match", ifNoneMatch));
}
