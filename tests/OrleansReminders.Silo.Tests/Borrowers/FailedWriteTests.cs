using System.Text.Json;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Testing;

namespace OrleansReminders.Silo.Tests.Borrowers;

/// <summary>
/// Acknowledged = durable, memory included: an operation whose state write fails answers an error and leaves
/// no trace in the activation (the next call reloads what storage holds), so its retry is applied once and
/// a retry after success is recognised. Storage is the embedded default wrapped in a decorator that fails
/// writes on demand.
/// </summary>
public sealed class FailedWriteTests : IAsyncLifetime
{
    private readonly StorageFault _storage = new();
    private ServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync(
        new Dictionary<string, string?>
        {
            ["Sms:Simulated:MinReceiptDelay"] = "1.00:00:00",
            ["Sms:Simulated:MaxReceiptDelay"] = "1.00:00:00",
        },
        replace: services => FaultyBorrowerStorage.Install(services, _storage));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AFailedPaymentIsNotRememberedSoItsRetryIsAppliedOnce()
    {
        var grain = await BorrowerAsync("fw-pay");
        var payment = new PaymentRecord("pay-1", 100m, "USD", DateTimeOffset.UtcNow);

        await FailsAndLeavesNoTraceAsync(grain, g => g.RecordPaymentAsync(payment));
        var retried = await grain.RecordPaymentAsync(payment);
        var again = await grain.RecordPaymentAsync(payment);

        Assert.Equal("partial payment", retried.Message);
        Assert.Equal("payment already recorded", again.Message);
        Assert.Equal(1_400m, (await grain.GetStatusAsync())!.Outstanding);
        Assert.Single((await grain.GetRecentHistoryAsync()).Events, e => e.Kind == "payment.partial");
    }

    [Fact]
    public async Task EveryOtherOperationLeavesNoTraceWhenItsWriteFailsAndAppliesOnRetry()
    {
        var grain = await BorrowerAsync("fw-ops");
        var until = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20);
        Func<IBorrowerGrain, Task<CommandResult>>[] operations =
        [
            g => g.UpsertAsync(Upsert(amount: 2_000m)),
            g => g.RecordPromiseAsync(new PromiseRecord(until, "promise", "key:test")),
            g => g.PauseAsync(new OpsAction("key:test", "dispute opened")),
            g => g.ResumeAsync(new OpsAction("key:test", "dispute closed")),
            g => g.ReassignEscalationAsync(new EscalationReassignment(1, "key:test", "call them")),
            g => g.HandleReplyAsync(new InboundReply("reply-1", "1", DateTimeOffset.UtcNow)),
        ];

        foreach (var operation in operations)
        {
            await FailsAndLeavesNoTraceAsync(grain, operation);
            var before = Json(await grain.GetStatusAsync());
            var retried = await operation(grain);
            Assert.True(retried.IsAccepted, retried.Message);
            Assert.NotEqual(before, Json(await grain.GetStatusAsync()));
        }

        var status = (await grain.GetStatusAsync())!;
        Assert.Equal((2_000m, 1, 1), (status.Outstanding, status.EscalationLevel, status.Counts.Replies));
        Assert.Equal("reply already handled", (await grain.HandleReplyAsync(new InboundReply("reply-1", "1", DateTimeOffset.UtcNow))).Message);
    }

    [Fact]
    public async Task ADatabaseExceptionReachesTheCallerAsTheServicesOwnUnavailableException()
    {
        var grain = await BorrowerAsync("fw-npgsql");
        try
        {
            _storage.Fault = () => new Npgsql.NpgsqlException("Failed to connect to 127.0.0.1:5432 (injected)");
            var thrown = await Assert.ThrowsAsync<Contracts.Errors.ServiceUnavailableException>(
                () => grain.RecordPaymentAsync(new PaymentRecord("pay-npgsql", 10m, "USD", DateTimeOffset.UtcNow)));
            Assert.Contains("NpgsqlException: Failed to connect", thrown.Message, StringComparison.Ordinal);
        }
        finally
        {
            _storage.Fault = null;
        }

        Assert.Equal("partial payment", (await grain.RecordPaymentAsync(new PaymentRecord("pay-npgsql", 10m, "USD", DateTimeOffset.UtcNow))).Message);
    }

    private async Task FailsAndLeavesNoTraceAsync(IBorrowerGrain grain, Func<IBorrowerGrain, Task<CommandResult>> operation)
    {
        var before = Json(await grain.GetStatusAsync());
        var events = (await grain.GetRecentHistoryAsync()).Events.Length;
        try
        {
            _storage.Fault = () => new StorageDownException();
            await Assert.ThrowsAnyAsync<Exception>(() => operation(grain));
        }
        finally
        {
            _storage.Fault = null;
        }

        Assert.Equal(before, Json(await grain.GetStatusAsync()));
        Assert.Equal(events, (await grain.GetRecentHistoryAsync()).Events.Length);
    }

    private async Task<IBorrowerGrain> BorrowerAsync(string id)
    {
        var grain = _host.Grains.GetGrain<IBorrowerGrain>(id);
        var accepted = await grain.UpsertAsync(Upsert(amount: 1_500m));
        Assert.True(accepted.IsAccepted, accepted.Message);
        return grain;
    }

    // Region US (its calendar is computed for any year); due in ten days, so nothing is sent meanwhile.
    private static BorrowerUpsert Upsert(decimal amount) => new(
        "+12025550143", "en-US", ["America/New_York"], "US",
        [new DebtInput("loan-1", amount, "USD", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10))]);

    private static string Json(BorrowerStatus? status) => JsonSerializer.Serialize(status);
}
