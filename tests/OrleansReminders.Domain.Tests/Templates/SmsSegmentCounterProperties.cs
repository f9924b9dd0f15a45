using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Domain.Tests.Templates;

public sealed class SmsSegmentCounterProperties
{
    private const char Escape = '\u001B';

    // GSM 03.38 default alphabet, written out again here row by row (0x00-0x7F, escape 0x1B omitted),
    // so the reference does not share the table with the code under test.
    private static readonly HashSet<char> ReferenceBasic =
    [
        '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å',
        'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', 'Æ', 'æ', 'ß', 'É',
        ' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/',
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
        '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
        'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§',
        '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
        'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à',
    ];

    private static readonly HashSet<char> ReferenceExtension = ['\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€'];

    private static readonly string[] NonGsmPieces = ["还", "款", "😀", "🙂", "“", "ç", "₹", "é\u0301", "\u00A0"];

    [Property(MaxTest = 500)]
    public Property SegmentCountMatchesReferenceForGsmText() =>
        Prop.ForAll(TextOf(GsmPiece()).ToArbitrary(), text => Check(text));

    [Property(MaxTest = 500)]
    public Property SegmentCountMatchesReferenceForMixedText() =>
        Prop.ForAll(TextOf(Gen.OneOf(GsmPiece(), Gen.Elements(NonGsmPieces))).ToArbitrary(), text => Check(text));

    private static bool Check(string text)
    {
        var expected = Reference(text);
        var actual = SmsSegmentCounter.Count(text);
        return expected == (actual.Encoding, actual.Units, actual.Segments);
    }

    private static Gen<string> GsmPiece() =>
        Gen.Frequency(
            (8, Gen.Elements(ReferenceBasic.ToArray()).Select(c => c.ToString())),
            (2, Gen.Elements(ReferenceExtension.ToArray()).Select(c => c.ToString())));

    private static Gen<string> TextOf(Gen<string> piece) =>
        Gen.Choose(0, 480).SelectMany(n => piece.ArrayOf(n)).Select(string.Concat);

    // Reference: build the actual septet stream (escape + character for the extension table) or the UTF-16
    // code units, then cut it into parts, moving a cut back by one when it would separate an escape from
    // its character or a high surrogate from its low surrogate.
    private static (SmsEncoding, int, int) Reference(string text)
    {
        var gsm = text.All(c => ReferenceBasic.Contains(c) || ReferenceExtension.Contains(c));
        var units = gsm ? Septets(text) : text.ToList();
        var single = gsm ? 160 : 70;
        var part = gsm ? 153 : 67;
        var segments = units.Count <= single ? 1 : Parts(units, part, gsm);
        return (gsm ? SmsEncoding.Gsm7 : SmsEncoding.Ucs2, units.Count, segments);
    }

    private static List<char> Septets(string text) =>
        text.SelectMany(c => ReferenceExtension.Contains(c) ? new[] { Escape, c } : new[] { c }).ToList();

    private static int Parts(List<char> units, int part, bool gsm)
    {
        var count = 0;
        var start = 0;
        while (start < units.Count)
        {
            var end = Math.Min(start + part, units.Count);
            var last = units[end - 1];
            var splitsPair = gsm ? last == Escape : char.IsHighSurrogate(last) && end < units.Count && char.IsLowSurrogate(units[end]);
            if (end < units.Count && splitsPair)
            {
                end--;
            }

            count++;
            start = end;
        }

        return count;
    }
}
