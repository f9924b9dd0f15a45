namespace OrleansReminders.Sms.Simulated;

/// <summary>A fault of the simulated provider switched on at run time (see <see cref="SimulatedSmsSender.Fault"/>).</summary>
public enum SimulatedFault
{
    None,

    /// <summary>Every send is refused as a provider error (HTTP 503 from a real provider).</summary>
    Outage,

    /// <summary>Every send is refused as throttled, with a retry-after (HTTP 429 from a real provider).</summary>
    ThrottleStorm,
}
