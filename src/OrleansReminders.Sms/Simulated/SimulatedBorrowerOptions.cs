namespace OrleansReminders.Sms.Simulated;

/// <summary>
/// How the simulated borrowers of one risk tier react to a delivered collection reminder. At most one
/// reply per message: confirm ("1"), ask for a plan ("2") or opt out, drawn with one die, so the three reply
/// rates add up to at most 1; paying in full is a separate draw. Each reaction comes after a random delay
/// (<see cref="SimulatedProviderOptions.MinReplyDelay"/>, <see cref="SimulatedProviderOptions.MinPaymentDelay"/>).
/// </summary>
public sealed class SimulatedBorrowerOptions
{
    /// <summary>Probability that the borrower replies with the confirmation text ("1").</summary>
    public double ConfirmRate { get; set; }

    /// <summary>Probability that the borrower replies with the plan-request text ("2").</summary>
    public double PlanRequestRate { get; set; }

    /// <summary>Probability that the borrower opts out ("TD").</summary>
    public double OptOutRate { get; set; }

    /// <summary>Probability that the borrower pays what is outstanding in full.</summary>
    public double PaymentRate { get; set; }
}
