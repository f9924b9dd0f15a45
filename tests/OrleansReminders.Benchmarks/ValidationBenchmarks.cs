using BenchmarkDotNet.Attributes;
using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Grains.Borrowers;

namespace OrleansReminders.Benchmarks;

/// <summary>
/// Checking one upsert as the API does before any grain call, by number of debts: the time should grow
/// linearly (ratio ≈ debts / 50). 200 is the default maximum; 800 runs with the limit raised, to show the
/// shape beyond it.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private static readonly LocalDate Today = new(2026, 12, 2);
    private readonly InputLimits _limits = InputLimits.Default with { MaxDebtsPerBorrower = 1_000 };
    private BorrowerUpsert _upsert = null!;

    [Params(50, 100, 200, 800)]
    public int Debts { get; set; }

    [GlobalSetup]
    public void Setup() => _upsert = new BorrowerUpsert(
        "+8613812345678", "zh-CN", ["Asia/Shanghai"], "CN",
        [.. Enumerable.Range(0, Debts).Select(i => new DebtInput($"loan-{i}", 100m + i, "CNY", new DateOnly(2026, 11, 1).AddDays(i % 300)))]);

    [Benchmark]
    public int ValidateUpsert() => BorrowerUpsertValidator.Validate("b-1", _upsert, Today, _limits).Errors.Count;
}
