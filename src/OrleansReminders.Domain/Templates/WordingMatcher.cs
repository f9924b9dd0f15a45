using OrleansReminders.Domain.Common;
using System.Text;

namespace OrleansReminders.Domain.Templates;

/// <summary>
/// Tolerant phrase matching. Text and terms are NFKC-normalised (full-width → ASCII) and lower-cased.
/// A term with CJK characters matches the text with everything but letters and digits removed
/// ("通 知，你的家人" contains 通知你的家人). A Latin term matches a run of whole words, whatever spacing or
/// punctuation lies between them, its last word also as a prefix ("arrest" finds "arrested"); runs of single
/// letters are also read joined up, so "i.d.i.o.t" is "idiot".
/// </summary>
internal sealed class WordingMatcher
{
    private readonly string _squeezed;
    private readonly string[] _words;
    private readonly string[] _joinedWords;

    public WordingMatcher(string text)
    {
        var normalized = Normalize(text);
        _squeezed = Squeeze(normalized);
        _words = Words(normalized);
        _joinedWords = JoinSingleLetters(_words);
    }

    public bool Contains(string term)
    {
        var normalized = Normalize(term);
        if (normalized.Any(IsCjk))
        {
            var squeezedTerm = Squeeze(normalized);
            return squeezedTerm.Length > 0 && _squeezed.Contains(squeezedTerm, StringComparison.Ordinal);
        }

        var termWords = Words(normalized);
        return termWords.Length > 0 && (ContainsRun(_words, termWords) || ContainsRun(_joinedWords, termWords));
    }

    private static string Normalize(string text) => text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();

    private static string Squeeze(string text) => new(text.Where(char.IsLetterOrDigit).ToArray());

    private static string[] Words(string text)
    {
        return [.. TextWords.Split(text, char.IsLetterOrDigit)];
    }

    private static string[] JoinSingleLetters(string[] words)
    {
        var joined = new List<string>();
        var run = new StringBuilder();
        foreach (var word in words)
        {
            if (word.Length == 1)
            {
                run.Append(word);
                continue;
            }

            Flush(joined, run);
            joined.Add(word);
        }

        Flush(joined, run);
        return [.. joined];
    }

    private static void Flush(List<string> joined, StringBuilder run)
    {
        if (run.Length > 0)
        {
            joined.Add(run.ToString());
            run.Clear();
        }
    }

    private static bool ContainsRun(string[] words, string[] term)
    {
        for (var start = 0; start + term.Length <= words.Length; start++)
        {
            if (MatchesAt(words, start, term))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesAt(string[] words, int start, string[] term)
    {
        for (var k = 0; k < term.Length; k++)
        {
            var word = words[start + k];
            var last = k == term.Length - 1;
            var ok = last ? word.StartsWith(term[k], StringComparison.Ordinal) : word == term[k];
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsCjk(char c) =>
        c is (>= '\u2E80' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF') or (>= '\uAC00' and <= '\uD7AF');
}
