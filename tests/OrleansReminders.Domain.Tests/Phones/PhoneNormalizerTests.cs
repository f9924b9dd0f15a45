using OrleansReminders.Domain.Phones;

namespace OrleansReminders.Domain.Tests.Phones;

public sealed class PhoneNormalizerTests
{
    [Theory]
    [InlineData("13812345678", "CN", "+8613812345678", "CN")]
    [InlineData("138-1234-5678", "CN", "+8613812345678", "CN")]
    [InlineData("+86 138 1234 5678", "US", "+8613812345678", "CN")]
    [InlineData("0086 13812345678", "GB", "+8613812345678", "CN")]
    [InlineData("(201) 555-0123", "US", "+12015550123", "US")]
    [InlineData("+1 201 555 0123", "CN", "+12015550123", "US")]
    [InlineData("98765 43210", "IN", "+919876543210", "IN")]
    [InlineData("+91-98765-43210", "CN", "+919876543210", "IN")]
    [InlineData("０１３８１２３４５６７８", "CN", "+8613812345678", "CN")]
    public void MobileNumbersNormaliseToE164(string raw, string defaultRegion, string e164, string region)
    {
        var result = PhoneNormalizer.Normalize(raw, defaultRegion, "phone");

        Assert.True(result.IsValid, result.Error?.ToString());
        Assert.Equal(e164, result.Phone.E164);
        Assert.Equal(region, result.Phone.RegionCode);
    }

    [Fact]
    public void UsNumbersAreFixedLineOrMobileAndAcceptedForSms()
    {
        var result = PhoneNormalizer.Normalize("2015550123", "US", "phone");

        Assert.True(result.IsValid);
        Assert.Equal(PhoneLineType.FixedLineOrMobile, result.Phone.LineType);
    }

    [Fact]
    public void ChineseMobileIsMobile()
    {
        var result = PhoneNormalizer.Normalize("13812345678", "CN", "phone");

        Assert.True(result.IsValid);
        Assert.Equal(PhoneLineType.Mobile, result.Phone.LineType);
    }

    [Theory]
    [InlineData("010 6552 9988", "CN")]
    [InlineData("+86 21 6321 8888", "US")]
    [InlineData("011 2345 6789", "IN")]
    public void LandlinesAreRejectedForSms(string raw, string region)
    {
        var result = PhoneNormalizer.Normalize(raw, region, "borrower.phone");

        Assert.False(result.IsValid);
        Assert.Equal("borrower.phone", result.Error.Path);
        Assert.Equal("is not a mobile number (it is a fixed line); SMS needs a mobile number", result.Error.Message);
    }

    [Fact]
    public void LandlineIsAcceptedForCalls()
    {
        var result = PhoneNormalizer.Normalize("010 6552 9988", "CN", "phone", PhoneUse.Call);

        Assert.True(result.IsValid);
        Assert.Equal("+861065529988", result.Phone.E164);
        Assert.Equal(PhoneLineType.FixedLine, result.Phone.LineType);
    }

    [Fact]
    public void TollFreeIsRejectedForSms()
    {
        var result = PhoneNormalizer.Normalize("800-225-5288", "US", "phone");

        Assert.False(result.IsValid);
        Assert.Contains("toll-free", result.Error.Message);
    }

    /// <summary>libphonenumber reads keypad letters as digits: +8613800138abc would become +8613800138222, a stranger.</summary>
    [Theory]
    [InlineData("+8613800138abc")]
    [InlineData("1-800-FLOWERS")]
    [InlineData("+86 138 0013 8000 ext. 12")]
    [InlineData("+8613800138000;")]
    public void LettersAreRefusedNotConvertedToKeypadDigits(string raw)
    {
        var result = PhoneNormalizer.Normalize(raw, "CN", "phone");

        Assert.False(result.IsValid);
        Assert.Contains("letters", result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData("   ", "is required")]
    [InlineData(null, "is required")]
    [InlineData("hello", "may contain only digits, spaces and + ( ) - . / (letters and other characters are refused)")]
    [InlineData("1", "cannot be read as a phone number")]
    [InlineData("+999 1234 5678", "cannot be read: unknown country code")]
    public void GarbageIsAClearError(string? raw, string message)
    {
        var result = PhoneNormalizer.Normalize(raw, "CN", "phone");

        Assert.False(result.IsValid);
        Assert.Equal("phone", result.Error.Path);
        Assert.Equal(message, result.Error.Message);
    }

    [Theory]
    [InlineData("12345678901", "CN", "is not a valid number for region CN (+86)")]
    [InlineData("1381234567", "CN", "is not a valid number for region CN (+86)")]
    [InlineData("0123456789", "IN", "is not a valid number for region IN (+91)")]
    [InlineData("+1 099 555 0123", "CN", "is not a valid number for region US (+1)")]
    public void InvalidNumbersNameTheRegion(string raw, string region, string message)
    {
        var result = PhoneNormalizer.Normalize(raw, region, "phone");

        Assert.False(result.IsValid);
        Assert.Equal(message, result.Error.Message);
    }

    [Fact]
    public void UnknownDefaultRegionIsExplained()
    {
        var result = PhoneNormalizer.Normalize("13812345678", "XX", "phone");

        Assert.False(result.IsValid);
        Assert.Contains("default region 'XX' is unknown", result.Error.Message);
    }

    [Fact]
    public void OverlongInputIsRejectedWithoutParsing()
    {
        var result = PhoneNormalizer.Normalize(new string('1', 500), "CN", "phone");

        Assert.False(result.IsValid);
        Assert.StartsWith("is too long", result.Error.Message);
    }

    [Theory]
    [InlineData("+8613812345678", "+86 138****5678")]
    [InlineData("+12015550123", "+1 201***0123")]
    [InlineData("+919876543210", "+91 987***3210")]
    [InlineData("+861065529988", "+86 106***9988")]
    [InlineData("+4420712345", "+44 ****2345")]
    [InlineData("13812345678", "*******5678")]
    [InlineData("not a number", "****")]
    [InlineData(null, "****")]
    [InlineData("+86 garbage 5678", "**5678")]
    public void MaskKeepsCountryCodeAndLastFourDigits(string? phone, string expected)
    {
        Assert.Equal(expected, PhoneNormalizer.Mask(phone));
    }

    [Fact]
    public void NormalizedPhoneNeverPrintsTheFullNumber()
    {
        var phone = PhoneNormalizer.Normalize("13812345678", "CN", "phone").Phone!;

        Assert.Equal("+86 138****5678", phone.ToString());
        Assert.DoesNotContain("13812345678", $"{phone}");
    }
}
