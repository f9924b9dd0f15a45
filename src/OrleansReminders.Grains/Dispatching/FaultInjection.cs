namespace OrleansReminders.Grains.Dispatching;

/// <summary>The steps of the send path where a fault test may stop a silo (<see cref="IFaultInjector"/>).</summary>
public enum FaultPoint
{
    /// <summary>A dispatcher took a message over and has not leased a send slot for it yet.</summary>
    BeforeLease,

    /// <summary>A dispatcher holds a leased slot for the message and has not called the provider yet.</summary>
    AfterLease,

    /// <summary>The provider accepted the message; the dispatcher has not recorded that yet.</summary>
    AfterProviderAccepted,

    /// <summary>The dispatcher recorded the acceptance; the borrower has not been told yet.</summary>
    BeforeAcceptanceRecorded,

    /// <summary>A dispatcher that is stopping is handing a message back to its borrower.</summary>
    DuringHandBack,
}

/// <summary>
/// A seam for fault tests: the dispatcher calls it at each <see cref="FaultPoint"/> with the message key.
/// Production registers <see cref="NoFaults"/>; a test's injector may block there while the test kills the
/// silo, which is a crash at exactly that step.
/// </summary>
public interface IFaultInjector
{
    ValueTask AtAsync(FaultPoint point, string messageKey);
}

/// <summary>The production injector: does nothing.</summary>
public sealed class NoFaults : IFaultInjector
{
    public static readonly NoFaults Instance = new();

    public ValueTask AtAsync(FaultPoint point, string messageKey) => ValueTask.CompletedTask;
}
