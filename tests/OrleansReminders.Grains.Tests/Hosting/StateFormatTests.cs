using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansReminders.Grains.Borrowers;
using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Grains.Tests.Hosting;

/// <summary>The service's state format writes what Orleans' own binary storage serialiser writes, whatever came before on the thread.</summary>
public sealed class StateFormatTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void AStateIsWrittenByteForByteAsOrleansWritesItAndReadsBack()
    {
        var state = State(outboxEntries: 30);

        var ours = new StateFormat(Serializer).Serialize(state).ToArray();
        var orleans = new OrleansGrainStorageSerializer(Serializer).Serialize(state).ToArray();
        var back = new StateFormat(Serializer).Deserialize<BorrowerState>(new BinaryData(ours))!;

        Assert.Equal(orleans, ours);
        Assert.Equal(state.Outbox.Select(e => e.Key), back.Outbox.Select(e => e.Key));
        Assert.Equal(state.Profile.PhoneE164, back.Profile.PhoneE164);
    }

    [Fact]
    public void ASmallStateAfterALargeOneCarriesNothingOfTheLargeOne()
    {
        var format = new StateFormat(Serializer);
        var small = State(outboxEntries: 1);

        format.Serialize(State(outboxEntries: 500)); // grows this thread's buffer
        var after = format.Serialize(small).ToArray();

        Assert.Equal(new OrleansGrainStorageSerializer(Serializer).Serialize(small).ToArray(), after);
    }

    private static BorrowerState State(int outboxEntries) => new()
    {
        Exists = true,
        Profile = new ProfileState { PhoneE164 = "+12025550143", Region = "US", TimeZones = ["America/New_York"] },
        Outbox = [.. Enumerable.Range(0, outboxEntries).Select(i => new OutboxEntry
        {
            Key = $"b-1:1:L{i}", Channel = "sms", TemplateKey = "overdue.d3", CreatedAt = DateTimeOffset.UnixEpoch.AddDays(i), Phase = 3,
        })],
        Recent = [[1, 2, 3], [4, 5]],
    };
}
