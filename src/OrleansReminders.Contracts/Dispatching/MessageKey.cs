using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OrleansReminders.Contracts.Dispatching;

/// <summary>
/// The idempotency key of one borrower message, <c>{borrowerId}:{cycle}:{step}</c>; it goes to the provider as
/// the client reference and comes back on receipts. Parsed from the right: a borrower id may contain ':', a step
/// may not. Stored state and wire types keep it as the string (<see cref="ToString"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansReminders.MessageKey")]
public readonly record struct MessageKey(
    [property: Id(0)] string BorrowerId,
    [property: Id(1)] int Cycle,
    [property: Id(2)] string Step)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{BorrowerId}:{Cycle}:{Step}");

    /// <summary>Reads a key; false when the text is not one of ours (no borrower id, no integer cycle, no step).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out MessageKey key)
    {
        key = default;
        var step = text?.LastIndexOf(':') ?? -1;
        var cycle = step > 0 ? text!.LastIndexOf(':', step - 1) : -1;
        if (cycle <= 0 || step == text!.Length - 1
            || !int.TryParse(text.AsSpan(cycle + 1, step - cycle - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        key = new MessageKey(text[..cycle], number, text[(step + 1)..]);
        return true;
    }

    /// <summary>Reads a key; throws <see cref="FormatException"/> when the text is not one.</summary>
    public static MessageKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not a message key (borrowerId:cycle:step)");
}
