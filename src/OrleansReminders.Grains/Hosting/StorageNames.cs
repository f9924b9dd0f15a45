namespace OrleansReminders.Grains.Hosting;

/// <summary>Names of the grain-storage providers the silo registers.</summary>
public static class StorageNames
{
    /// <summary>Borrower state (and, until more providers exist, every other grain's state).</summary>
    public const string Borrowers = "borrowers";
}
