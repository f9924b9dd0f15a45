using System.Text;

namespace OrleansReminders.Domain.Common;

/// <summary>Splits text into runs of word characters; everything else separates words.</summary>
public static class TextWords
{
    public static List<string> Split(string text, Func<char, bool> isWordChar)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (isWordChar(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
