using System.Buffers;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Templates;

/// <summary>How an SMS body is encoded on the air interface.</summary>
public enum SmsEncoding
{
    /// <summary>GSM 03.38 7-bit default alphabet; extension-table characters take two septets.</summary>
    Gsm7,

    /// <summary>UCS-2 (UTF-16 code units); used as soon as one character is outside GSM-7.</summary>
    Ucs2,
}

/// <summary>Segment sizes; the defaults are the GSM 03.38 / UCS-2 values with a 6-byte concatenation header.</summary>
public sealed record SmsSegmentLimits
{
    public static SmsSegmentLimits Default { get; } = new();

    /// <summary>Septets in a single, unsplit GSM-7 message.</summary>
    public int Gsm7Single { get; init; } = 160;

    /// <summary>Septets per part of a concatenated GSM-7 message.</summary>
    public int Gsm7Part { get; init; } = 153;

    /// <summary>UTF-16 code units in a single, unsplit UCS-2 message.</summary>
    public int Ucs2Single { get; init; } = 70;

    /// <summary>UTF-16 code units per part of a concatenated UCS-2 message.</summary>
    public int Ucs2Part { get; init; } = 67;

    /// <summary>All problems with these limits (a part must hold a two-unit character and not exceed a single message).</summary>
    public IReadOnlyList<FieldError> Validate(string path)
    {
        var errors = new List<FieldError>();
        Check(errors, $"{path}.gsm7Part", Gsm7Part >= 2 && Gsm7Part <= Gsm7Single, "must be ≥ 2 and ≤ gsm7Single");
        Check(errors, $"{path}.ucs2Part", Ucs2Part >= 2 && Ucs2Part <= Ucs2Single, "must be ≥ 2 and ≤ ucs2Single");
        return errors;
    }

    private static void Check(List<FieldError> errors, string path, bool ok, string message)
    {
        if (!ok)
        {
            errors.Add(new FieldError(path, message));
        }
    }
}

/// <summary>
/// Encoding, length in units (septets for GSM-7, UTF-16 code units for UCS-2) and number of SMS parts.
/// </summary>
public sealed record SmsSegmentInfo(SmsEncoding Encoding, int Units, int Segments);

/// <summary>
/// Counts SMS segments. Rules: the whole message is UCS-2 if any character is outside the GSM-7 basic and
/// extension tables; extension characters (^ { } \ [ ~ ] | € and form feed) cost two septets; a message that
/// fits the single limit is one segment, otherwise parts are filled greedily and a two-unit character
/// (escape sequence or surrogate pair) is never split across parts. An empty text is one segment.
/// </summary>
public static class SmsSegmentCounter
{
    /// <summary>The 127 printable characters of the GSM 03.38 basic table (escape excluded).</summary>
    internal const string Gsm7BasicCharacters =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    /// <summary>Characters of the GSM 03.38 extension table, each sent as escape + character.</summary>
    internal const string Gsm7ExtensionCharacters = "^{}\\[~]|€\f";

    private static readonly SearchValues<char> Basic = SearchValues.Create(Gsm7BasicCharacters);
    private static readonly SearchValues<char> Extension = SearchValues.Create(Gsm7ExtensionCharacters);
    private static readonly SearchValues<char> AnyGsm = SearchValues.Create(Gsm7BasicCharacters + Gsm7ExtensionCharacters);

    public static bool IsGsm7Basic(char c) => Basic.Contains(c);

    public static bool IsGsm7Extension(char c) => Extension.Contains(c);

    /// <summary>GSM-7 when every character is in the basic or extension table, otherwise UCS-2.</summary>
    public static SmsEncoding DetectEncoding(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().ContainsAnyExcept(AnyGsm) ? SmsEncoding.Ucs2 : SmsEncoding.Gsm7;
    }

    /// <summary>The distinct characters (as strings, so surrogate pairs stay whole) that force UCS-2.</summary>
    public static IReadOnlyList<string> NonGsmCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<string>();
        for (var i = 0; i < text.Length; i++)
        {
            if (AnyGsm.Contains(text[i]))
            {
                continue;
            }

            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var character = text.Substring(i, width);
            if (!found.Contains(character))
            {
                found.Add(character);
            }

            i += width - 1;
        }

        return found;
    }

    public static SmsSegmentInfo Count(string text, SmsSegmentLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var l = limits ?? SmsSegmentLimits.Default;
        return DetectEncoding(text) == SmsEncoding.Gsm7
            ? Pack(text, SmsEncoding.Gsm7, l.Gsm7Single, l.Gsm7Part)
            : Pack(text, SmsEncoding.Ucs2, l.Ucs2Single, l.Ucs2Part);
    }

    private static SmsSegmentInfo Pack(string text, SmsEncoding encoding, int single, int part)
    {
        var total = 0;
        var parts = 1;
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var cost = UnitCost(text, ref i, encoding);
            total += cost;
            if (used + cost > part)
            {
                parts++;
                used = 0;
            }

            used += cost;
        }

        return new SmsSegmentInfo(encoding, total, total <= single ? 1 : parts);
    }

    private static int UnitCost(string text, ref int i, SmsEncoding encoding)
    {
        if (encoding == SmsEncoding.Gsm7)
        {
            return Extension.Contains(text[i]) ? 2 : 1;
        }

        if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            i++;
            return 2;
        }

        return 1;
    }
}
