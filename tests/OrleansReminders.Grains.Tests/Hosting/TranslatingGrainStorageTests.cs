using Orleans.Storage;
using OrleansReminders.Contracts.Errors;
using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Grains.Tests.Hosting;

/// <summary>Infrastructure exceptions become the service's own at the storage boundary; storage's own pass through.</summary>
public sealed class TranslatingGrainStorageTests
{
    private static readonly GrainId Grain = GrainId.Create("borrower", "b-1");

    [Fact]
    public async Task AReadThatFailsOnTheDatabaseThrowsTheServicesUnavailableException()
    {
        var storage = new TranslatingGrainStorage(new Throwing(() => new Npgsql.NpgsqlException("Failed to connect to 127.0.0.1:5432")));

        var thrown = await Assert.ThrowsAsync<ServiceUnavailableException>(() => storage.ReadStateAsync("borrower", Grain, new GrainState<int>()));

        Assert.Contains("read for borrower/b-1", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("NpgsqlException: Failed to connect", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVersionConflictAndABugPassThroughAsTheyAre()
    {
        var conflict = new TranslatingGrainStorage(new Throwing(() => new InconsistentStateException("etag moved")));
        var bug = new TranslatingGrainStorage(new Throwing(() => new InvalidOperationException("a bug")));

        await Assert.ThrowsAsync<InconsistentStateException>(() => conflict.WriteStateAsync("borrower", Grain, new GrainState<int>()));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bug.ClearStateAsync("borrower", Grain, new GrainState<int>()));
    }

    private sealed class Throwing(Func<Exception> make) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.FromException(make());

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.FromException(make());

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.FromException(make());
    }
}
