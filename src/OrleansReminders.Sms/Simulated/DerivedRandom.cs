namespace OrleansReminders.Sms.Simulated;

/// <summary>
/// A small random stream derived from (seed, purpose, key) alone: SplitMix64 started from a 64-bit FNV-1a
/// hash of the three. The simulated provider uses it for what belongs to a message or a number rather than
/// to one attempt (a borrower's reaction to a message, an invalid number), so that those outcomes do not
/// depend on the order in which concurrent sends arrive, and a resend meets the same borrower. Not thread-safe:
/// one instance per call.
/// </summary>
internal sealed class DerivedRandom(int seed, string purpose, string key)
{
    private ulong _state = Hash(seed, purpose, key);

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>A uniform duration in [min, max].</summary>
    public TimeSpan Between(TimeSpan min, TimeSpan max) => Uniform(NextDouble(), min, max);

    /// <summary>Scales a uniform draw in [0, 1) onto [min, max].</summary>
    public static TimeSpan Uniform(double draw, TimeSpan min, TimeSpan max) =>
        min + TimeSpan.FromTicks((long)((max - min).Ticks * draw));

    private static ulong Hash(int seed, string purpose, string key)
    {
        const ulong offset = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        var hash = offset;
        void Add(int value)
        {
            hash = (hash ^ (uint)value) * prime;
        }

        Add(seed);
        foreach (var c in purpose)
        {
            Add(c);
        }

        Add(0);
        foreach (var c in key)
        {
            Add(c);
        }

        return hash;
    }
}
