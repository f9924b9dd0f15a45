namespace OrleansReminders.Domain.Dispatching;

/// <summary>
/// Additive-increase, multiplicative-decrease on top of the configured rate: a provider's throttling
/// answer (HTTP 429 or its own code) cuts the rate (by <see cref="AdaptiveRateOptions.DecreaseFactor"/>,
/// at most once per cool-down, so one burst of 429s counts once), and every quiet interval afterwards
/// gives back a fixed share of the configured rate until it is reached again. Never above the configured
/// rate, never below its floor.
/// </summary>
public sealed class AdaptiveRate
{
    private readonly AdaptiveRateOptions _options;
    private DateTimeOffset _lastDecrease = DateTimeOffset.MinValue;
    private DateTimeOffset _lastIncrease = DateTimeOffset.MinValue;

    public AdaptiveRate(double configured, AdaptiveRateOptions options)
    {
        if (!(configured > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(configured), configured, "must be positive");
        }

        options.Validate();
        Configured = configured;
        Current = configured;
        _options = options;
    }

    public double Configured { get; }

    public double Current { get; private set; }

    /// <summary>The provider said "too fast". Returns true when the rate changed.</summary>
    public bool OnThrottled(DateTimeOffset now)
    {
        if (now - _lastDecrease < _options.Cooldown)
        {
            return false;
        }

        var lowered = Math.Max(Configured * _options.FloorFraction, Current * _options.DecreaseFactor);
        _lastDecrease = now;
        _lastIncrease = now;
        var changed = lowered < Current;
        Current = lowered;
        return changed;
    }

    /// <summary>Time passes without throttling. Returns true when the rate changed.</summary>
    public bool OnQuiet(DateTimeOffset now)
    {
        if (Current >= Configured || now - _lastIncrease < _options.IncreaseInterval)
        {
            return false;
        }

        Current = Math.Min(Configured, Current + (Configured * _options.IncreaseFraction));
        _lastIncrease = now;
        return true;
    }
}

/// <summary>How <see cref="AdaptiveRate"/> backs off and recovers.</summary>
public sealed record AdaptiveRateOptions
{
    /// <summary>Multiplier applied on throttling, in (0, 1).</summary>
    public double DecreaseFactor { get; init; } = 0.5;

    /// <summary>Share of the configured rate given back per quiet interval, in (0, 1].</summary>
    public double IncreaseFraction { get; init; } = 0.1;

    /// <summary>How long the rate must stay quiet before each increase.</summary>
    public TimeSpan IncreaseInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throttling answers within this time of a decrease do not decrease again.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The lowest rate as a share of the configured one, in (0, 1].</summary>
    public double FloorFraction { get; init; } = 0.05;

    public void Validate()
    {
        Check(DecreaseFactor is > 0 and < 1, nameof(DecreaseFactor), "must be between 0 and 1 (exclusive)");
        Check(IncreaseFraction is > 0 and <= 1, nameof(IncreaseFraction), "must be in (0, 1]");
        Check(FloorFraction is > 0 and <= 1, nameof(FloorFraction), "must be in (0, 1]");
        Check(IncreaseInterval > TimeSpan.Zero, nameof(IncreaseInterval), "must be positive");
        Check(Cooldown >= TimeSpan.Zero, nameof(Cooldown), "must not be negative");
    }

    private static void Check(bool ok, string name, string message)
    {
        if (!ok)
        {
            throw new ArgumentException($"{name}: {message}", name);
        }
    }
}
