namespace OrleansReminders.Contracts.Borrowers;

/// <summary>
/// Which borrower a phone number belongs to (key: a keyed hash of the number in E.164, never the number
/// itself), so an inbound reply that carries only the sender's number reaches its borrower. Written by the
/// borrower grain when its number changes.
/// </summary>
[Alias("OrleansReminders.IPhoneDirectoryGrain")]
public interface IPhoneDirectoryGrain : IGrainWithStringKey
{
    /// <summary>This number now belongs to <paramref name="borrowerId"/>.</summary>
    [Alias("Assign")]
    Task AssignAsync(string borrowerId);

    /// <summary>Forgets the number if it still belongs to <paramref name="borrowerId"/>.</summary>
    [Alias("Release")]
    Task ReleaseAsync(string borrowerId);

    /// <summary>The borrower the number belongs to, or null.</summary>
    [Alias("Find"), Orleans.Concurrency.ReadOnly]
    Task<string?> FindAsync();
}
