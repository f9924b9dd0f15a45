using OrleansReminders.Domain.Common;
using System.Globalization;
using System.Text;

namespace OrleansReminders.Domain.Replies;

/// <summary>
/// A message prepared for matching: NFKC (full-width Ｓｔｏｐ and １ become Stop and 1), upper case,
/// whitespace collapsed and trimmed. <see cref="Words"/> are runs of non-CJK letters and digits;
/// <see cref="Compact"/> keeps only letters and digits (punctuation, spaces, emoji dropped).
/// </summary>
public sealed record NormalizedReply(string Text, string Compact, IReadOnlyList<string> Words)
{
    /// <summary>Normalises raw inbound text; <c>null</c> counts as empty.</summary>
    public static NormalizedReply From(string? raw)
    {
        var text = string.Join(' ', ReplaceLoneSurrogates(raw ?? "")
            .Normalize(NormalizationForm.FormKC)
            .ToUpperInvariant()
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var compact = new string(text.Where(char.IsLetterOrDigit).ToArray());
        return new NormalizedReply(text, compact, SplitWords(text));
    }

    private static List<string> SplitWords(string text)
    {
        return TextWords.Split(text, IsWordChar);
    }

    // CJK ideographs are "other letters": they separate Latin words and are matched with Contains.
    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) && char.GetUnicodeCategory(c) != UnicodeCategory.OtherLetter;

    private static string ReplaceLoneSurrogates(string raw)
    {
        var chars = raw.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }
}
