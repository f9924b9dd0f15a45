using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using OrleansReminders.Client;
using OrleansReminders.Client.Models;

namespace OrleansReminders.Silo.Tests.Api;

/// <summary>
/// The calls an internal team makes, through the client Kiota generates from the checked-in OpenAPI document (the
/// build of this project runs the generator pinned in .config/dotnet-tools.json): upsert a borrower, read its status
/// and history, record a payment, reassign an escalation level; and a refusal arriving as the typed problem.
/// </summary>
public sealed class GeneratedClientTests(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task AnInternalTeamUpsertsReadsPaysAndEscalatesThroughTheGeneratedClient()
    {
        var id = "client-" + Guid.NewGuid().ToString("N")[..10];
        var (ingest, reader, ops) = (Client("ingest-key"), Client("reader-key"), Client("ops-key"));
        var due = DateTime.UtcNow.Date.AddDays(10);

        var upserted = await ingest.Borrowers[id].PutAsync(new UpsertBorrowerRequest
        {
            Phone = "+8613812345678", Locale = "zh-CN", TimeZones = ["Asia/Shanghai"], Region = "CN",
            Debts = [new UpsertBorrowerRequest_debts { DebtId = "loan-1", AmountDue = 1500m, Currency = "CNY", DueDate = new Date(due) }],
        });
        var before = await reader.Borrowers[id].GetAsync();
        var paid = await ingest.Borrowers[id].Payments.PostAsync(new PaymentRequest { PaymentId = "pay-1", Amount = 100m, Currency = "CNY" });
        var escalated = await ops.Borrowers[id].Escalation.PostAsync(new ReassignRequest { Level = 1, Reason = "two promises broken" });
        var after = await reader.Borrowers[id].GetAsync();
        var history = await reader.Borrowers[id].History.GetAsync(request => request.QueryParameters.Limit = "100");

        Assert.All(new[] { upserted, paid, escalated }, answer => Assert.Equal("accepted", answer?.Outcome));
        Assert.Equal(id, before?.BorrowerId);
        Assert.Equal(1500m, before?.Outstanding);
        Assert.Equal(1400m, after?.Outstanding);
        Assert.Equal(1, after?.EscalationLevel);
        var kinds = history?.Events?.Select(e => e.Kind).ToList() ?? [];
        Assert.Contains("borrower.upserted", kinds);
        Assert.Contains("payment.partial", kinds);
        Assert.Contains("escalation.reassigned", kinds);
    }

    [Fact]
    public async Task ARefusalArrivesAsTheDocumentedProblem()
    {
        var id = "client-" + Guid.NewGuid().ToString("N")[..10];
        var ingest = Client("ingest-key");
        await ingest.Borrowers[id].PutAsync(new UpsertBorrowerRequest
        {
            Phone = "+8613812345678", Locale = "zh-CN", TimeZones = ["Asia/Shanghai"], Region = "CN",
            Debts = [new UpsertBorrowerRequest_debts { DebtId = "loan-1", AmountDue = 1500m, Currency = "CNY", DueDate = new Date(DateTime.UtcNow.Date) }],
        });

        var invalid = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() =>
            ingest.Borrowers[id].Payments.PostAsync(new PaymentRequest { PaymentId = "pay-1", Amount = -5m, Currency = "CNY" }));
        var unknown = await Assert.ThrowsAsync<ProblemDetails>(() =>
            ingest.Borrowers["client-nobody"].Payments.PostAsync(new PaymentRequest { PaymentId = "pay-1", Amount = 5m, Currency = "CNY" }));

        Assert.Equal(422, invalid.ResponseStatusCode);
        Assert.Contains("amount", invalid.Errors!.AdditionalData.Keys);
        Assert.Equal(404, unknown.ResponseStatusCode);
    }

    /// <summary>The client as a team builds it: the service's address and its own API key, sent as X-Api-Key.</summary>
    private OrleansRemindersClient Client(string key)
    {
        var adapter = new HttpClientRequestAdapter(new ApiKeyHeader(key), httpClient: api.Host.Http) { BaseUrl = api.BaseAddress.ToString().TrimEnd('/') };
        return new OrleansRemindersClient(adapter);
    }

    /// <summary>
    /// Sends the key in X-Api-Key. (Kiota's own ApiKeyAuthenticationProvider refuses plain http, which a service inside
    /// the cluster's network, like this test's on 127.0.0.1, uses.)
    /// </summary>
    private sealed class ApiKeyHeader(string key) : IAuthenticationProvider
    {
        public Task AuthenticateRequestAsync(
            RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
        {
            request.Headers.TryAdd("X-Api-Key", key);
            return Task.CompletedTask;
        }
    }
}
