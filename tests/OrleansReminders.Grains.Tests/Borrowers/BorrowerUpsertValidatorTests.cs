using NodaTime;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Grains.Borrowers;

namespace OrleansReminders.Grains.Tests.Borrowers;

/// <summary>The upsert rules and limits, as the API checks them before any grain call (and the grain again).</summary>
public sealed class BorrowerUpsertValidatorTests
{
    private static readonly LocalDate Today = new(2026, 12, 2);

    [Fact]
    public void TheMaximumNumberOfDebtsIsAcceptedAndOneMoreIsOneProblem()
    {
        var max = InputLimits.Default.MaxDebtsPerBorrower;

        var (_, debts, accepted) = BorrowerUpsertValidator.Validate("b-1", Upsert(max), Today);
        var (_, _, refused) = BorrowerUpsertValidator.Validate("b-1", Upsert(max + 1), Today);
        var (_, _, huge) = BorrowerUpsertValidator.Validate("b-1", Upsert(130_000), Today);

        Assert.Empty(accepted);
        Assert.Equal(max, debts.Length);
        Assert.Equal(("debts", $"must contain at most {max} debts (it has {max + 1})"), (refused.Single().Path, refused.Single().Message));
        Assert.Single(huge);
    }

    [Fact]
    public void EveryRepeatedDebtIdIsNamedOnce()
    {
        var upsert = Upsert(6) with { Debts = [.. Upsert(3).Debts, .. Upsert(3).Debts] };

        var (_, _, errors) = BorrowerUpsertValidator.Validate("b-1", upsert, Today);

        Assert.Equal(["debts[3].debtId", "debts[4].debtId", "debts[5].debtId"], errors.Select(e => e.Path));
    }

    [Fact]
    public void StringsAndListsLongerThanTheLimitsAreRefusedNamingTheField()
    {
        var upsert = Upsert(1) with
        {
            Name = new string('n', 201),
            Segment = new string('s', 33),
            TimeZones = ["Asia/Shanghai", "Asia/Shanghai", "Asia/Shanghai", "Asia/Shanghai", "Asia/Shanghai", "Asia/Shanghai"],
            Birthday = new DateOnly(1800, 1, 1),
        };

        var (_, _, errors) = BorrowerUpsertValidator.Validate("b-1", upsert, Today);

        Assert.Equal(["name", "segment", "timeZones", "birthday"], errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("has space")]
    public void BorrowerIdsFollowTheDocumentedRule(string id) =>
        Assert.Equal(["borrowerId"], BorrowerUpsertValidator.Validate(id, Upsert(1), Today).Errors.Select(e => e.Path));

    [Fact]
    public void ConfiguredLimitsReplaceTheDefaults()
    {
        var limits = InputLimits.Default with { MaxDebtsPerBorrower = 2, MaxNameLength = 3 };

        var (_, _, errors) = BorrowerUpsertValidator.Validate("b-1", Upsert(3) with { Name = "Wang" }, Today, limits);

        Assert.Equal(["name", "debts"], errors.Select(e => e.Path));
    }

    internal static BorrowerUpsert Upsert(int debts) => new(
        "+8613812345678", "zh-CN", ["Asia/Shanghai"], "CN",
        [.. Enumerable.Range(0, debts).Select(i => new DebtInput($"loan-{i}", 100m + i, "CNY", new DateOnly(2026, 11, 1).AddDays(i % 300)))]);
}
