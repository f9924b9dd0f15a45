using OrleansReminders.Domain.Common;
using PhoneNumbers;

namespace OrleansReminders.Domain.Phones;

/// <summary>
/// Validates raw phone numbers and normalises them to E.164 with libphonenumber, and masks numbers for logs.
/// A number written without a leading + is read in the default region; one with + carries its own country code.
/// </summary>
public static class PhoneNormalizer
{
    private const int MaxRawLength = 64;
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Validates and normalises <paramref name="raw"/>; errors carry <paramref name="fieldPath"/> (e.g. <c>phone</c>).</summary>
    /// <param name="raw">Number as entered ("138 1234 5678", "+1 (202) 555-0143").</param>
    /// <param name="defaultRegion">ISO 3166 region for numbers without a country code (e.g. <c>CN</c>).</param>
    /// <param name="fieldPath">Path of the field in the caller's input, used in the error.</param>
    /// <param name="use">For <see cref="PhoneUse.Sms"/> the line type must be mobile or fixed-line-or-mobile.</param>
    public static PhoneValidation Normalize(string? raw, string defaultRegion, string fieldPath, PhoneUse use = PhoneUse.Sms)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return Fail(fieldPath, "is required");
        }

        if (raw.Length > MaxRawLength)
        {
            return Fail(fieldPath, $"is too long to be a phone number ({raw.Length} characters)");
        }

        if (raw.Any(c => !IsPhoneCharacter(c)))
        {
            // libphonenumber reads letters as keypad digits ("+8613800138abc" as ...222): a wrong recipient, so refuse.
            return Fail(fieldPath, "may contain only digits, spaces and + ( ) - . / (letters and other characters are refused)");
        }

        var region = defaultRegion.Trim().ToUpperInvariant();
        var number = TryParse(raw.Trim(), region, out var parseError);
        if (number is null)
        {
            return Fail(fieldPath, parseError);
        }

        return Check(number, fieldPath, use);
    }

    /// <summary>
    /// Masks a number for logs: country code and last 4 digits stay; for national numbers of 10 or more digits
    /// the first 3 stay too (<c>+86 138****5678</c>, <c>+1 202***0143</c>, <c>+91 987***3210</c>). Anything that
    /// is not a parseable international number keeps only its last 4 digits.
    /// </summary>
    public static string Mask(string? phone)
    {
        var digits = new string((phone ?? "").Where(char.IsAsciiDigit).ToArray());
        var number = phone is not null && phone.TrimStart().StartsWith('+') ? TryParse(phone, "ZZ", out _) : null;
        if (number is null)
        {
            return digits.Length <= 4 ? new string('*', Math.Max(digits.Length, 4)) : $"{new string('*', digits.Length - 4)}{digits[^4..]}";
        }

        var national = Util.GetNationalSignificantNumber(number);
        var keepStart = national.Length >= 10 ? 3 : 0;
        var hidden = Math.Max(national.Length - keepStart - 4, 0);
        return $"+{number.CountryCode} {national[..keepStart]}{new string('*', hidden)}{national[(keepStart + hidden)..]}";
    }

    private static bool IsPhoneCharacter(char c) =>
        char.IsDigit(c) || c is ' ' or '\u00A0' or '\u3000' or '+' or '\uFF0B' or '(' or ')' or '-' or '.' or '/';

    private static PhoneNumber? TryParse(string raw, string region, out string error)
    {
        error = "";
        try
        {
            return Util.Parse(raw, region);
        }
        catch (NumberParseException exception)
        {
            error = ParseReason(exception.ErrorType, region);
            return null;
        }
    }

    private static string ParseReason(ErrorType type, string region) => type switch
    {
        ErrorType.INVALID_COUNTRY_CODE when !Util.GetSupportedRegions().Contains(region) =>
            $"cannot be read: it has no country code (+…) and the default region '{region}' is unknown",
        ErrorType.INVALID_COUNTRY_CODE => "cannot be read: unknown country code",
        ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD => "cannot be read: too short to be a phone number",
        ErrorType.TOO_LONG => "cannot be read: too long to be a phone number",
        _ => "cannot be read as a phone number",
    };

    private static PhoneValidation Check(PhoneNumber number, string fieldPath, PhoneUse use)
    {
        var numberRegion = Util.GetRegionCodeForCountryCode(number.CountryCode);
        if (!Util.IsValidNumber(number))
        {
            return Fail(fieldPath, $"is not a valid number for region {numberRegion} (+{number.CountryCode})");
        }

        var lineType = Map(Util.GetNumberType(number));
        if (use == PhoneUse.Sms && lineType is not (PhoneLineType.Mobile or PhoneLineType.FixedLineOrMobile))
        {
            return Fail(fieldPath, $"is not a mobile number (it is {Describe(lineType)}); SMS needs a mobile number");
        }

        var region = Util.GetRegionCodeForNumber(number) ?? numberRegion;
        return PhoneValidation.Valid(new NormalizedPhone(Util.Format(number, PhoneNumberFormat.E164), region, lineType));
    }

    private static string Describe(PhoneLineType type) => type switch
    {
        PhoneLineType.FixedLine => "a fixed line",
        PhoneLineType.TollFree => "a toll-free number",
        PhoneLineType.Voip => "a VoIP number",
        _ => "not a mobile line",
    };

    private static PhoneLineType Map(PhoneNumberType type) => type switch
    {
        PhoneNumberType.MOBILE => PhoneLineType.Mobile,
        PhoneNumberType.FIXED_LINE_OR_MOBILE => PhoneLineType.FixedLineOrMobile,
        PhoneNumberType.FIXED_LINE => PhoneLineType.FixedLine,
        PhoneNumberType.TOLL_FREE => PhoneLineType.TollFree,
        PhoneNumberType.VOIP => PhoneLineType.Voip,
        _ => PhoneLineType.Other,
    };

    private static PhoneValidation Fail(string fieldPath, string message) =>
        PhoneValidation.Invalid(new FieldError(fieldPath, message));
}
