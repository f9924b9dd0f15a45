using NodaTime;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Replies;

namespace OrleansReminders.Domain.Tests.Borrowers;

public sealed class DebtRulesTests
{
    private static readonly LocalDate Today = new(2026, 3, 1);

    [Fact]
    public void APaymentSettlesTheOldestOpenDebtFirst()
    {
        var applied = DebtRules.Allocate(150m, [(Today.PlusDays(30), 100m), (Today, 80m), (Today.PlusDays(-5), 0m)]);

        Assert.Equal([70m, 80m, 0m], applied);
    }

    [Fact]
    public void EveryBrokenDebtFieldIsNamed()
    {
        var errors = DebtRules.ValidateDebt("debts[0]", "", -1m, "usd", Today - Period.FromYears(3), Today).Select(e => e.Path);

        Assert.Equal(["debts[0].debtId", "debts[0].amountDue", "debts[0].currency", "debts[0].dueDate"], errors);
    }

    [Theory]
    [InlineData(ReplyIntent.OptOut, true, "opted out")]
    [InlineData(ReplyIntent.Complaint, null, "complaint under review")]
    [InlineData(ReplyIntent.Confirm, null, null)]
    [InlineData(ReplyIntent.NotPaidYet, null, null)]
    public void RepliesThatMustStopCollectionCancelWhatIsQueued(ReplyIntent intent, bool? optedOut, string? cancel)
    {
        var effects = ReplyEffects.For(intent);

        Assert.Equal(optedOut, effects.OptedOut);
        Assert.Equal(cancel, effects.CancelQueuedReason);
    }
}
