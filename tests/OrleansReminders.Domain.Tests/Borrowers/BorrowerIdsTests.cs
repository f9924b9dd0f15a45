using OrleansReminders.Domain.Borrowers;

namespace OrleansReminders.Domain.Tests.Borrowers;

public sealed class BorrowerIdsTests
{
    [Theory]
    [InlineData("b-1", true)]
    [InlineData("Loan_2026.07", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("has space", false)]
    [InlineData("a:b", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("...", false)]
    [InlineData(".hidden", true)]
    public void OnlyLettersDigitsDotsUnderscoresAndDashesAndNeverOnlyDots(string? id, bool valid) => Assert.Equal(valid, BorrowerIds.IsValid(id));

    [Fact]
    public void AtMostTheIdLengthEveryKeyShares()
    {
        Assert.True(BorrowerIds.IsValid(new string('a', DebtRules.MaxIdLength)));
        Assert.False(BorrowerIds.IsValid(new string('a', DebtRules.MaxIdLength + 1)));
    }

    [Theory]
    [InlineData("loan-1", true)]
    [InlineData("贷款 1", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("a\u0000b", false)]
    [InlineData("line\nbreak", false)]
    public void ReferencesAreShortPrintableText(string id, bool valid) => Assert.Equal(valid, BorrowerIds.IsValidReference(id));
}
