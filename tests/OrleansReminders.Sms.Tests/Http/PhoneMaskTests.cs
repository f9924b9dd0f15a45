using OrleansReminders.Sms.Http;

namespace OrleansReminders.Sms.Tests.Http;

public sealed class PhoneMaskTests
{
    [Theory]
    [InlineData("+8613800138000", "+*********8000")]
    [InlineData("+14155550100", "+*******0100")]
    [InlineData("1234", "1234")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void AllButTheLastFourDigitsAreMasked(string? phone, string expected)
    {
        Assert.Equal(expected, PhoneMask.Mask(phone));
    }
}
