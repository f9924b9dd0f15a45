using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Tests.Api;

public sealed class ImportTests : IAsyncLifetime
{
    private ServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync(new Dictionary<string, string?>
    {
        ["Api:Keys:0:Name"] = "loan-system", ["Api:Keys:0:Sha256"] = ApiKeys.Hash("ingest-key"), ["Api:Keys:0:Roles:0"] = "ingest",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ABatchWithBadLinesImportsTheGoodOnesAndReportsEachBadLine()
    {
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10).ToString("yyyy-MM-dd");
        var lines = new List<string>();
        for (var i = 1; i <= 1_500; i++)
        {
            lines.Add(i switch
            {
                10 => "{not json",
                20 => $$"""{"id":"imp-20","locale":"zh-CN","timeZones":["Asia/Shanghai"],"region":"CN","debts":[]}""",
                30 => $$"""{"id":"bad id!","phone":"+8613912345678","locale":"zh-CN","timeZones":["Asia/Shanghai"],"region":"CN","debts":[]}""",
                40 => $$"""{"id":"imp-40","phone":"12","locale":"zh-CN","timeZones":["Asia/Shanghai"],"region":"CN","debts":[]}""",
                50 => "",
                _ => $$"""{"id":"imp-{{i}}","phone":"+86139{{i:D8}}","locale":"zh-CN","timeZones":["Asia/Shanghai"],"region":"CN","debts":[{"debtId":"l{{i}}","amountDue":100,"currency":"CNY","dueDate":"{{due}}"}]}""",
            });
        }

        var response = await PostAsync(string.Join("\n", lines), "application/x-ndjson");
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1_500, summary.GetProperty("lines").GetInt32());
        Assert.Equal(1_495, summary.GetProperty("accepted").GetInt32());
        Assert.Equal(4, summary.GetProperty("rejected").GetInt32());
        var errors = summary.GetProperty("errors").EnumerateArray()
            .ToDictionary(e => e.GetProperty("line").GetInt32(), e => e.GetProperty("problems")[0].GetProperty("field").GetString());
        Assert.Equal(new Dictionary<int, string?> { [10] = "line", [20] = "phone", [30] = "id", [40] = "phone" }, errors);
        Assert.NotNull(await _host.Grains.GetGrain<Contracts.Borrowers.IBorrowerGrain>("imp-1500").GetStatusAsync());
        Assert.Null(await _host.Grains.GetGrain<Contracts.Borrowers.IBorrowerGrain>("imp-40").GetStatusAsync());
    }

    [Fact]
    public async Task OnlyNdjsonIsAccepted()
    {
        var response = await PostAsync("[]", "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.BaseAddress, "/borrowers/import"))
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        request.Headers.Add(ApiKeyAuthenticationHandler.Header, "ingest-key");
        return await _host.Http.SendAsync(request);
    }
}
