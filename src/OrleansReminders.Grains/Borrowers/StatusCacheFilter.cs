namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// Every borrower call but the two reads may change what the status says: the silo's cached status goes
/// before the call and again after it (<see cref="LocalStatusCache"/>).
/// Registered silo-wide by <c>AddBorrowerServices</c>; calls to other grains pass through untouched.
/// </summary>
public sealed class StatusCacheFilter(LocalStatusCache statusCache) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is not BorrowerGrain borrower
            || context.ImplementationMethod.Name is nameof(BorrowerGrain.GetStatusAsync) or nameof(BorrowerGrain.GetRecentHistoryAsync))
        {
            await context.Invoke();
            return;
        }

        var id = borrower.GetPrimaryKeyString();
        statusCache.Remove(id);
        try
        {
            await context.Invoke();
        }
        finally
        {
            statusCache.Remove(id);
        }
    }
}
