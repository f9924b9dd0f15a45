using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Tests.Api;

/// <summary>One service host for a test class, with a key per role (<see cref="Settings"/>).</summary>
public class ApiHostFixture : IAsyncLifetime
{
    private ServiceHost _host = null!;

    internal ServiceHost Host => _host;

    public Uri BaseAddress => _host.BaseAddress;

    public async Task InitializeAsync() => _host = await StartAsync();

    /// <summary>The host: the embedded default with <see cref="Settings"/>; a fixture that needs more starts its own.</summary>
    internal virtual Task<ServiceHost> StartAsync() => ServiceHost.StartAsync(Settings());

    /// <summary>
    /// A key per role (reporting: reader, loan-system: ingest, ops-console: ops, owner: admin; the key's text is the
    /// role + "-key") and receipts a business day away, so a test's message stays "sent".
    /// </summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Api:Keys:0:Name"] = "reporting", ["Api:Keys:0:Sha256"] = ApiKeys.Hash("reader-key"), ["Api:Keys:0:Roles:0"] = "reader",
        ["Api:Keys:1:Name"] = "loan-system", ["Api:Keys:1:Sha256"] = ApiKeys.Hash("ingest-key"), ["Api:Keys:1:Roles:0"] = "ingest",
        ["Api:Keys:2:Name"] = "ops-console", ["Api:Keys:2:Sha256"] = ApiKeys.Hash("ops-key"), ["Api:Keys:2:Roles:0"] = "ops",
        ["Api:Keys:3:Name"] = "owner", ["Api:Keys:3:Sha256"] = ApiKeys.Hash("admin-key"), ["Api:Keys:3:Roles:0"] = "admin",
        ["Sms:Simulated:MinReceiptDelay"] = "1.00:00:00",
        ["Sms:Simulated:MaxReceiptDelay"] = "1.00:00:00",
    };

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A borrower the API accepts: a Chinese number, one debt due in ten days.</summary>
    public static object ValidBorrower(string phone = "+8613812345678") => new
    {
        phone, locale = "zh-CN", timeZones = new[] { "Asia/Shanghai" }, region = "CN",
        debts = new[] { new { debtId = "loan-1", amountDue = 1500m, currency = "CNY", dueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10) } },
    };

    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string key, object? body = null, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_host.BaseAddress, path));
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        }

        request.Headers.Add(ApiKeyAuthenticationHandler.Header, key);
        headers?.Invoke(request.Headers);
        return await _host.Http.SendAsync(request);
    }
}
