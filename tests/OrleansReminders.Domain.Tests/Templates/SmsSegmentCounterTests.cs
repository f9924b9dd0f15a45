using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Domain.Tests.Templates;

public sealed class SmsSegmentCounterTests
{
    [Fact]
    public void BasicTableHas127PrintableCharactersAndExtensionTableTen()
    {
        Assert.Equal(127, SmsSegmentCounter.Gsm7BasicCharacters.Distinct().Count());
        Assert.Equal(10, SmsSegmentCounter.Gsm7ExtensionCharacters.Distinct().Count());
    }

    [Theory]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(459, 3)]
    [InlineData(460, 4)]
    public void Gsm7UsesOneSegmentUpTo160ThenPartsOf153(int length, int segments)
    {
        var info = SmsSegmentCounter.Count(new string('a', length));

        Assert.Equal(new SmsSegmentInfo(SmsEncoding.Gsm7, length, segments), info);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Ucs2UsesOneSegmentUpTo70ThenPartsOf67(int length, int segments)
    {
        var info = SmsSegmentCounter.Count(new string('还', length));

        Assert.Equal(new SmsSegmentInfo(SmsEncoding.Ucs2, length, segments), info);
    }

    [Theory]
    [InlineData('^')]
    [InlineData('{')]
    [InlineData('}')]
    [InlineData('\\')]
    [InlineData('[')]
    [InlineData('~')]
    [InlineData(']')]
    [InlineData('|')]
    [InlineData('€')]
    [InlineData('\f')]
    public void ExtensionCharacterCountsTwoSeptetsAndStaysGsm7(char extension)
    {
        var fits = SmsSegmentCounter.Count(new string('a', 158) + extension);
        var overflows = SmsSegmentCounter.Count(new string('a', 159) + extension);

        Assert.Equal(new SmsSegmentInfo(SmsEncoding.Gsm7, 160, 1), fits);
        Assert.Equal(new SmsSegmentInfo(SmsEncoding.Gsm7, 161, 2), overflows);
    }

    [Fact]
    public void GsmSpecialsSuchAsPoundYenAndGreekAreSingleSeptets()
    {
        var info = SmsSegmentCounter.Count("£¥èÇΔΦΩ§¿äüà@$");

        Assert.Equal(new SmsSegmentInfo(SmsEncoding.Gsm7, 14, 1), info);
    }

    [Fact]
    public void OneChineseCharacterMakesTheWholeMessageUcs2()
    {
        var info = SmsSegmentCounter.Count(new string('a', 100) + "还");

        Assert.Equal(new SmsSegmentInfo(SmsEncoding.Ucs2, 101, 2), info);
    }

    [Fact]
    public void OneEmojiMakesTheWholeMessageUcs2AndCountsTwoCodeUnits()
    {
        var fits = SmsSegmentCounter.Count(new string('a', 68) + "😀");
        var overflows = SmsSegmentCounter.Count(new string('a', 69) + "😀");

        Assert.Equal(new SmsSegmentInfo(SmsEncoding.Ucs2, 70, 1), fits);
        Assert.Equal(new SmsSegmentInfo(SmsEncoding.Ucs2, 71, 2), overflows);
    }

    [Fact]
    public void ExtensionCharacterIsNotSplitAcrossParts()
    {
        // 152 septets then '{' (2 septets): the escape sequence cannot straddle the 153-septet boundary.
        var text = new string('a', 152) + "{" + new string('a', 10);

        var info = SmsSegmentCounter.Count(text);

        Assert.Equal(164, info.Units);
        Assert.Equal(2, info.Segments);
        Assert.Equal(3, SmsSegmentCounter.Count(new string('a', 152) + "{" + new string('a', 152)).Segments);
    }

    [Fact]
    public void SurrogatePairIsNotSplitAcrossParts()
    {
        // 66 units + emoji (2) + 66 units = 134 units, but the pair moves to part 2, so part 2 overflows into part 3.
        var text = new string('还', 66) + "😀" + new string('还', 66);

        var info = SmsSegmentCounter.Count(text);

        Assert.Equal(134, info.Units);
        Assert.Equal(3, info.Segments);
    }

    [Fact]
    public void NonGsmCharactersAreListedOnceWithSurrogatePairsWhole()
    {
        var found = SmsSegmentCounter.NonGsmCharacters("Hi “Bob” 😀 😀 ok");

        Assert.Equal(["“", "”", "😀"], found);
    }

    [Fact]
    public void CustomLimitsAreUsed()
    {
        var limits = new SmsSegmentLimits { Gsm7Single = 10, Gsm7Part = 5 };

        Assert.Equal(1, SmsSegmentCounter.Count(new string('a', 10), limits).Segments);
        Assert.Equal(3, SmsSegmentCounter.Count(new string('a', 11), limits).Segments);
    }

    [Fact]
    public void InvalidLimitsAreReportedTogether()
    {
        var errors = new SmsSegmentLimits { Gsm7Part = 1, Ucs2Part = 80 }.Validate("limits");

        Assert.Equal(["limits.gsm7Part", "limits.ucs2Part"], errors.Select(e => e.Path));
    }
}
