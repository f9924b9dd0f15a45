namespace OrleansReminders.Grains.Dispatching;

/// <summary>
/// The dispatcher pool (configuration section <c>Dispatch</c>): which provider accounts, their
/// cluster-wide send rates, how many dispatcher grains share them, queue bounds and retries.
/// </summary>
public sealed class DispatchOptions
{
    public const string SectionName = "Dispatch";

    /// <summary>The primary provider account (an <see cref="Messaging.ISmsSender"/> of this name must be registered).</summary>
    public string Account { get; set; } = "simulated";

    /// <summary>Cluster-wide messages per second toward the primary account.</summary>
    public double RatePerSecond { get; set; } = 50;

    /// <summary>A secondary account that takes over while the primary keeps failing; none when empty.</summary>
    public string? SecondaryAccount { get; set; }

    /// <summary>Cluster-wide messages per second toward the secondary account.</summary>
    public double SecondaryRatePerSecond { get; set; } = 50;

    /// <summary>Dispatcher grains in the pool (a borrower's messages always go to the same one).</summary>
    public int Dispatchers { get; set; } = 8;

    /// <summary>Messages one dispatcher holds (queued or waiting to retry); beyond it borrowers keep them and retry later.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>How long a borrower waits before offering a message again after "queue full".</summary>
    public TimeSpan QueueFullRetry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How far ahead of now send slots may be leased.</summary>
    public TimeSpan LeaseHorizon { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Send slots per lease, as time at the configured rate.</summary>
    public TimeSpan LeaseLength { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Attempts per message on transient provider failures before it is reported failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry waits between half and all of this; each later one doubles it (jittered).</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before a retry.</summary>
    public TimeSpan RetryCap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Consecutive transient failures of the primary after which the secondary takes over.</summary>
    public int FailoverAfter { get; set; } = 5;

    /// <summary>How long the secondary keeps the traffic before the primary is tried again (failback).</summary>
    public TimeSpan FailbackAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a borrower waits for its dispatcher's word on a message it handed over (real time). When it runs
    /// out the borrower offers the message again under the same key, flagged "maybe sent".
    /// </summary>
    public TimeSpan HandOverLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// What a dispatcher does with a message that may already have been sent when an account cannot be asked
    /// by client reference (<see cref="Messaging.ISmsLookup"/>): <c>AtMostOnce</c> (default: reported failed,
    /// never sent twice) or <c>AtLeastOnce</c> (sent again). Accounts that can be asked always ask.
    /// </summary>
    public Domain.Dispatching.DoubtPolicy OnDoubt { get; set; } = Domain.Dispatching.DoubtPolicy.AtMostOnce;

    /// <summary>How long a dispatcher remembers a key the provider accepted, to answer a repeated offer.</summary>
    public TimeSpan AcceptedKeysKept { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Sends in flight per dispatcher.</summary>
    public int MaxInFlight { get; set; } = 256;

    public double RateOf(string account) =>
        string.Equals(account, SecondaryAccount, StringComparison.Ordinal) ? SecondaryRatePerSecond : RatePerSecond;

    /// <summary>Slots one lease may hold on <paramref name="account"/>.</summary>
    public int MaxLease(string account) => Math.Max(1, (int)(RateOf(account) * LeaseLength.TotalSeconds));

    /// <summary>Every problem, each naming its setting; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Check(bool ok, string name, string message)
        {
            if (!ok)
            {
                problems.Add($"{SectionName}:{name}: {message}");
            }
        }

        Check(!string.IsNullOrWhiteSpace(Account), nameof(Account), "is required");
        Check(RatePerSecond is > 0 and <= 100_000, nameof(RatePerSecond), "must be in (0, 100000]");
        Check(SecondaryRatePerSecond is > 0 and <= 100_000, nameof(SecondaryRatePerSecond), "must be in (0, 100000]");
        Check(SecondaryAccount is null || SecondaryAccount != Account, nameof(SecondaryAccount), "must differ from Account");
        Check(Dispatchers is >= 1 and <= 1024, nameof(Dispatchers), "must be 1 to 1024");
        Check(QueueCapacity >= 1, nameof(QueueCapacity), "must be at least 1");
        Check(LeaseHorizon > TimeSpan.Zero, nameof(LeaseHorizon), "must be positive");
        Check(LeaseLength > TimeSpan.Zero, nameof(LeaseLength), "must be positive");
        Check(MaxAttempts >= 1, nameof(MaxAttempts), "must be at least 1");
        Check(RetryBase > TimeSpan.Zero && RetryCap >= RetryBase, nameof(RetryBase), "must be positive and at most RetryCap");
        Check(FailoverAfter >= 2, nameof(FailoverAfter), "must be at least 2");
        Check(FailbackAfter >= TimeSpan.FromSeconds(0.5), nameof(FailbackAfter), "must be at least 0.5 s");
        Check(MaxInFlight >= 1, nameof(MaxInFlight), "must be at least 1");
        Check(HandOverLease >= TimeSpan.FromSeconds(5), nameof(HandOverLease), "must be at least 5 s");
        Check(OnDoubt != Domain.Dispatching.DoubtPolicy.AskProvider, nameof(OnDoubt), "must be AtMostOnce or AtLeastOnce (accounts that can be asked always ask)");
        Check(AcceptedKeysKept >= HandOverLease, nameof(AcceptedKeysKept), "must be at least HandOverLease");
        return problems;
    }
}
