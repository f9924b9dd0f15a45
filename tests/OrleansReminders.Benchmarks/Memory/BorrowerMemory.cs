using Microsoft.Extensions.DependencyInjection;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Contracts.History;
using OrleansReminders.Grains.History;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Benchmarks.Memory;

/// <summary>Activates a borrower the way an import does: one upsert (state, plan, reminder, history events).</summary>
public static class BorrowerMemory
{
    private static readonly DateOnly Due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3);

    public static async Task ActivateAsync(IGrainFactory factory, string key)
    {
        var result = await factory.GetGrain<IBorrowerGrain>(key).UpsertAsync(new BorrowerUpsert(
            "+12015550123", "en-US", ["America/New_York"], "US",
            [new DebtInput("loan-1", 812.40m, "USD", Due), new DebtInput("loan-2", 120m, "USD", Due.AddMonths(1))],
            Name: "Maria Lopez", Risk: new RiskInput(0.25m, 1, 640)));
        if (!result.IsAccepted)
        {
            throw new InvalidOperationException("borrower rejected: " + string.Join("; ", result.Problems));
        }
    }
}

/// <summary>History and message sinks that keep nothing: memory measured is the grains' own.</summary>
public sealed class DiscardingSinks : IContactEventStore, IMessageDispatcher
{
    public static void Register(ISiloBuilder silo)
    {
        var sinks = new DiscardingSinks();
        silo.Services.AddSingleton<IContactEventStore>(sinks);
        silo.Services.AddSingleton<IMessageDispatcher>(sinks);
    }

    public Task AppendAsync(IReadOnlyCollection<ContactEvent> events, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<ContactEventPage> ReadAsync(string borrowerId, string? cursor, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ContactEventPage([], null));

    public IAsyncEnumerable<ContactEvent> ReadPeriodAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken = default) =>
        AsyncEnumerable.Empty<ContactEvent>();

    private static readonly DispatchResult SentAtOnce = new(DispatchOutcome.AlreadySent);

    /// <summary>
    /// When set, messages are held (answered "taken over", as the dispatcher pool does) and the last offer of
    /// each borrower is kept, so the driver can report its acceptance as the dispatcher would; otherwise every
    /// message is answered as sent at once.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, OutboundMessage>? Held { get; init; }

    public Task<DispatchResult> DispatchAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        if (Held is null)
        {
            return Task.FromResult(SentAtOnce);
        }

        Held[message.BorrowerId] = message;
        return Task.FromResult(DispatchResult.Accepted);
    }
}
