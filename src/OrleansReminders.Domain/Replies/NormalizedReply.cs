using System.Globalization;
using System.Text;

namespace OrleansReminders.Domain.Replies;

/// <summary>
/// A message prepared for matching: NFKC (full-width Ｓｔｏｐ and １ become Stop and 1), upper case,
/// whitespace collapsed and trimmed. <see cref="Tokens"/> are words (runs of non-CJK letters and digits; an
/// apostrophe inside a word is dropped, so DON'T, DON’T and DONT are one word DONT) and single CJK characters,
/// each with its clause; <see cref="Compact"/> is the tokens joined (punctuation, spaces, emoji dropped).
/// </summary>
public sealed record NormalizedReply(string Text, string Compact, IReadOnlyList<ReplyToken> Tokens)
{
    /// <summary>Normalises raw inbound text; <c>null</c> counts as empty.</summary>
    public static NormalizedReply From(string? raw)
    {
        var text = string.Join(' ', ReplaceLoneSurrogates(raw ?? "")
            .Normalize(NormalizationForm.FormKC)
            .ToUpperInvariant()
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var tokens = Tokenize(text);
        return new NormalizedReply(text, string.Concat(tokens.Select(token => token.Value)), tokens);
    }

    /// <summary>Index of the token holding the character at <paramref name="compactIndex"/> of <see cref="Compact"/>.</summary>
    public int TokenAt(int compactIndex)
    {
        var (low, high) = (0, Tokens.Count - 1);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Tokens[middle].Start <= compactIndex)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    private static List<ReplyToken> Tokenize(string text)
    {
        var tokens = new List<ReplyToken>();
        var word = new StringBuilder();
        var (clause, start) = (0, 0);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsWordChar(c))
            {
                word.Append(c);
                continue;
            }

            if (IsApostrophe(c) && word.Length > 0 && i + 1 < text.Length && IsWordChar(text[i + 1]))
            {
                continue;
            }

            Flush();
            if (char.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter)
            {
                tokens.Add(new ReplyToken(c.ToString(), false, clause, start++));
            }
            else if (IsClauseBreak(c))
            {
                clause++;
            }
        }

        Flush();
        return tokens;

        void Flush()
        {
            if (word.Length > 0)
            {
                tokens.Add(new ReplyToken(word.ToString(), true, clause, start));
                start += word.Length;
                word.Clear();
            }
        }
    }

    // CJK ideographs are "other letters": each is a token of its own and separates Latin words.
    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) && char.GetUnicodeCategory(c) != UnicodeCategory.OtherLetter && !IsApostrophe(c);

    private static bool IsApostrophe(char c) => c is '\'' or '\u2019' or '\u2018' or '\u02BC' or '`';

    // After NFKC the full-width ，！？；：． are ASCII; 。、 stay as they are.
    private static bool IsClauseBreak(char c) => c is ',' or '.' or ';' or ':' or '!' or '?' or '。' or '、';

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
