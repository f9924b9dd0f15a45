using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>One phone number's owner, persisted with the borrowers' storage.</summary>
public sealed class PhoneDirectoryGrain(
    [PersistentState("phone", StorageNames.Borrowers)] IPersistentState<PhoneDirectoryState> store) : Grain, IPhoneDirectoryGrain
{
    public async Task AssignAsync(string borrowerId)
    {
        if (store.State.BorrowerId != borrowerId)
        {
            store.State.BorrowerId = borrowerId;
            await store.WriteStateAsync();
        }
    }

    public async Task ReleaseAsync(string borrowerId)
    {
        if (store.State.BorrowerId == borrowerId)
        {
            await store.ClearStateAsync();
        }
    }

    public Task<string?> FindAsync() => Task.FromResult(store.State.BorrowerId);
}

[GenerateSerializer]
public sealed class PhoneDirectoryState
{
    [Id(0)] public string? BorrowerId { get; set; }
}
