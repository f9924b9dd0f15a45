using OrleansReminders.Domain.Common;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Tests.Dispatching;

public sealed class WireEnumsTests
{
    [Fact]
    public void EveryChannelCrossesTheWireUnderItsLowercaseName()
    {
        foreach (var channel in Enum.GetValues<Channel>())
        {
            var name = channel.ToString().ToLowerInvariant();
            Assert.Equal(name, channel.ToWire().Name());
            Assert.Equal(channel.ToWire(), WireEnums.ChannelNamed(name));
        }
    }

    [Fact]
    public void EveryTierCrossesTheWireUnderItsLowercaseName()
    {
        foreach (var tier in Enum.GetValues<RiskTier>())
        {
            Assert.Equal(tier.ToString().ToLowerInvariant(), tier.ToWire().Name());
        }
    }
}
