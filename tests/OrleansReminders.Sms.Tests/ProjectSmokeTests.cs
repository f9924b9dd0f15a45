using OrleansReminders.Grains.Messaging;

namespace OrleansReminders.Sms.Tests;

public sealed class ProjectSmokeTests
{
    [Fact]
    public void AnAcceptedResultCarriesTheProviderMessageId() =>
        Assert.Equal("SM1", SmsSendResult.Accepted("SM1").ProviderMessageId);
}
