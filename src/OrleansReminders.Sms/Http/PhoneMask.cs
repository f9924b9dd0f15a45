namespace OrleansReminders.Sms.Http;

/// <summary>
/// Masks a phone number for logs: every digit but the last four becomes <c>*</c>, so a log line can still
/// be matched to a borrower by someone who already knows the number, and by no one else.
/// </summary>
public static class PhoneMask
{
    public static string Mask(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return "";
        }

        var digitsSeen = 0;
        var chars = phone.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            if (char.IsAsciiDigit(chars[i]) && ++digitsSeen > 4)
            {
                chars[i] = '*';
            }
        }

        return new string(chars);
    }
}
