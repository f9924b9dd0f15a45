using NodaTime;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Tests.Borrowers;

/// <summary>Amounts, currencies and dates are checked in range with comparisons only, before any arithmetic.</summary>
public sealed class InputLimitsTests
{
    private static readonly LocalDate Today = new(2026, 12, 2);

    [Theory]
    [InlineData("0")]
    [InlineData("-0.01")]
    public void AnAmountMustBeAboveZero(string amount) =>
        Assert.Equal(["debts[0].amountDue"], Paths(DebtRules.ValidateDebt("debts[0]", "d1", decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "CNY", Today, Today)));

    [Fact]
    public void AnAmountAboveItsCurrencysMaximumIsRefusedNamingTheMaximum()
    {
        var tooMuch = DebtRules.ValidateDebt("debts[0]", "d1", 10_000_000.01m, "CNY", Today, Today).Single();
        var fine = DebtRules.ValidateDebt("debts[0]", "d1", 10_000_000m, "CNY", Today, Today);
        var huge = DebtRules.ValidateDebt("debts[0]", "d1", decimal.MaxValue, "IDR", Today, Today).Single();

        Assert.Equal(("debts[0].amountDue", "must be at most 10000000 CNY"), (tooMuch.Path, tooMuch.Message));
        Assert.Empty(fine);
        Assert.Equal("debts[0].amountDue", huge.Path);
    }

    [Fact]
    public void AConfiguredMaximumPerCurrencyReplacesTheDefault()
    {
        var limits = InputLimits.Default with { MaxAmountByCurrency = new Dictionary<string, decimal> { ["CNY"] = 500m } };

        Assert.Single(DebtRules.ValidateDebt("d", "d1", 501m, "CNY", Today, Today, limits));
        Assert.Empty(DebtRules.ValidateDebt("d", "d1", 501m, "USD", Today, Today, limits)); // the default maximum
    }

    [Theory]
    [InlineData("XXX")]
    [InlineData("ABC")]
    [InlineData("XTS")]
    [InlineData("XAU")]
    [InlineData("cny")]
    [InlineData("CNYY")]
    public void OnlyListedIso4217CodesAreCurrencies(string currency) =>
        Assert.Equal(["d.currency"], Paths(DebtRules.ValidateDebt("d", "d1", 10m, currency, Today, Today)));

    [Theory]
    [InlineData("CNY")]
    [InlineData("USD")]
    [InlineData("INR")]
    [InlineData("XOF")]
    [InlineData("JPY")]
    public void CirculatingCurrenciesAreAccepted(string currency) => Assert.True(Currencies.IsKnown(currency));

    [Fact]
    public void ADueDateFarAheadIsRefusedWithoutOverflow()
    {
        Assert.Equal(["d.dueDate"], Paths(DebtRules.ValidateDebt("d", "d1", 10m, "CNY", new LocalDate(9999, 12, 31), Today)));
        Assert.Equal(["d.dueDate"], Paths(DebtRules.ValidateDebt("d", "d1", 10m, "CNY", Today.PlusYears(10).PlusDays(1), Today)));
        Assert.Empty(DebtRules.ValidateDebt("d", "d1", 10m, "CNY", Today.PlusYears(10), Today));
        Assert.Equal(["d.dueDate"], Paths(DebtRules.ValidateDebt("d", "d1", 10m, "CNY", new LocalDate(1, 1, 1), Today)));
    }

    [Fact]
    public void APaymentIsCheckedLikeADebtAndItsInstantInRange()
    {
        var now = Instant.FromUtc(2026, 12, 2, 12, 0);

        Assert.Empty(DebtRules.ValidatePayment("p1", 10m, "CNY", now, now));
        Assert.Equal(["paymentId", "amount", "currency", "receivedAt"],
            Paths(DebtRules.ValidatePayment("", decimal.MaxValue, "XXX", now + Duration.FromDays(2), now)));
        Assert.Equal(["receivedAt"], Paths(DebtRules.ValidatePayment("p1", 10m, "CNY", Instant.FromUtc(1999, 12, 31, 0, 0), now)));
    }

    [Fact]
    public void LimitsThatCannotWorkAreNamed()
    {
        var limits = InputLimits.Default with
        {
            MaxDebtsPerBorrower = 0,
            DefaultMaxAmount = decimal.MaxValue,
            MaxAmountByCurrency = new Dictionary<string, decimal> { ["ABC"] = 1m, ["CNY"] = -1m },
        };

        Assert.Equal(
            ["Api:Limits:MaxDebtsPerBorrower", "Api:Limits:DefaultMaxAmount", "Api:Limits:MaxAmountByCurrency:ABC", "Api:Limits:MaxAmountByCurrency:CNY"],
            Paths(limits.Validate("Api:Limits")));
        Assert.Empty(InputLimits.Default.Validate("Api:Limits"));
    }

    private static List<string> Paths(IEnumerable<FieldError> errors) => [.. errors.Select(e => e.Path)];
}
