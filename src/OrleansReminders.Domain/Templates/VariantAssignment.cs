using System.Text;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Templates;

/// <summary>One arm of an experiment and its relative weight (≥ 0; 0 switches the arm off).</summary>
public sealed record VariantWeight(string Variant, int Weight);

/// <summary>An A/B experiment: an id and weighted variants.</summary>
public sealed record Experiment(string ExperimentId, IReadOnlyList<VariantWeight> Variants)
{
    /// <summary>All problems: blank id, no variants, blank or duplicate names, negative weights, zero total.</summary>
    public IReadOnlyList<FieldError> Validate(string path = "experiment")
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(ExperimentId))
        {
            errors.Add(new FieldError($"{path}.experimentId", "must not be empty"));
        }

        for (var i = 0; i < Variants.Count; i++)
        {
            ValidateVariant(errors, $"{path}.variants[{i}]", Variants[i], Variants.Take(i));
        }

        if (Variants.Sum(v => (long)Math.Max(0, v.Weight)) <= 0)
        {
            errors.Add(new FieldError($"{path}.variants", "the weights must add up to more than 0"));
        }

        return errors;
    }

    private static void ValidateVariant(List<FieldError> errors, string path, VariantWeight variant, IEnumerable<VariantWeight> earlier)
    {
        if (string.IsNullOrWhiteSpace(variant.Variant))
        {
            errors.Add(new FieldError($"{path}.variant", "must not be empty"));
        }
        else if (earlier.Any(e => e.Variant == variant.Variant))
        {
            errors.Add(new FieldError($"{path}.variant", $"'{variant.Variant}' appears more than once"));
        }

        if (variant.Weight < 0)
        {
            errors.Add(new FieldError($"{path}.weight", "must be ≥ 0"));
        }
    }
}

/// <summary>
/// Stable A/B assignment: the same borrower and experiment always get the same variant, in every process and
/// on every machine. Hash = FNV-1a 64 over the UTF-8 bytes of borrower id, a 0x00 separator and experiment id,
/// then the SplitMix64 finaliser to spread the bits; bucket = ⌊hash · totalWeight / 2⁶⁴⌋, and the variants own
/// consecutive bucket ranges in list order.
/// </summary>
public static class VariantAssigner
{
    private const ulong FnvOffset = 0xcbf29ce484222325;
    private const ulong FnvPrime = 0x100000001b3;

    /// <exception cref="DomainValidationException">The experiment is invalid or the borrower id is blank.</exception>
    public static string Assign(string borrowerId, Experiment experiment)
    {
        var errors = experiment.Validate().ToList();
        if (string.IsNullOrWhiteSpace(borrowerId))
        {
            errors.Add(new FieldError("borrowerId", "must not be empty"));
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var total = (ulong)experiment.Variants.Sum(v => (long)v.Weight);
        var bucket = Bucket(StableHash(borrowerId, experiment.ExperimentId), total);
        return Pick(experiment.Variants, bucket);
    }

    /// <summary>The stable 64-bit hash of (borrower id, experiment id).</summary>
    public static ulong StableHash(string borrowerId, string experimentId)
    {
        var bytes = Encoding.UTF8.GetBytes(borrowerId + "\0" + experimentId);
        return Mix(Fnv1a64(bytes));
    }

    internal static ulong Fnv1a64(ReadOnlySpan<byte> bytes)
    {
        var hash = FnvOffset;
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= FnvPrime;
        }

        return hash;
    }

    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }

    private static ulong Bucket(ulong hash, ulong total) => (ulong)(((UInt128)hash * total) >> 64);

    private static string Pick(IReadOnlyList<VariantWeight> variants, ulong bucket)
    {
        var upper = 0UL;
        foreach (var variant in variants)
        {
            upper += (ulong)variant.Weight;
            if (bucket < upper)
            {
                return variant.Variant;
            }
        }

        throw new InvalidOperationException("unreachable: bucket is below the total weight");
    }
}
