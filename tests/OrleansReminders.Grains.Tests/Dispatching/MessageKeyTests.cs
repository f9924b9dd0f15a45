using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Grains.Tests.Dispatching;

public sealed class MessageKeyTests
{
    [Theory]
    [InlineData("b-1", 0, "L1", "b-1:0:L1")]
    [InlineData("b-1", 12, "payment-received", "b-1:12:payment-received")]
    [InlineData("tenant:b:7", 3, "L2", "tenant:b:7:3:L2")]
    [InlineData("b::", 1, "L1", "b:::1:L1")]
    public void FormatsAndParsesBackFromTheRight(string borrowerId, int cycle, string step, string text)
    {
        var key = new MessageKey(borrowerId, cycle, step);

        Assert.Equal(text, key.ToString());
        Assert.True(MessageKey.TryParse(text, out var parsed));
        Assert.Equal(key, parsed);
        Assert.Equal(key, MessageKey.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("b-1")]
    [InlineData("b-1:L1")]
    [InlineData(":1:L1")]
    [InlineData("b-1:1:")]
    [InlineData("b-1:x:L1")]
    [InlineData("b-1::L1")]
    [InlineData("b-1: 1:L1")]
    [InlineData("b-1:99999999999:L1")]
    public void RejectsWhatIsNotAKey(string? text)
    {
        Assert.False(MessageKey.TryParse(text, out var key));
        Assert.Equal(default, key);
    }

    [Fact]
    public void ParseThrowsOnAForeignReference() =>
        Assert.Throws<FormatException>(() => MessageKey.Parse("provider-ref-17"));

    [Fact]
    public void TheRouterFindsTheBorrowerOfAKeyOnly()
    {
        Assert.Equal("tenant:b", GrainInboundRouter.BorrowerIdOf(new MessageKey("tenant:b", 2, "L3").ToString()));
        Assert.Null(GrainInboundRouter.BorrowerIdOf("provider-ref-17"));
    }
}
