using System.Collections.Frozen;
using System.Text.Json;

namespace OrleansReminders.Grains.Messaging;

/// <summary>Turns a borrower's outbound message into what a provider sends.</summary>
public interface IMessageComposer
{
    SmsMessage Compose(OutboundMessage message);
}

/// <summary>
/// The shipped texts (Messaging/Data/default-texts.json) by locale and template key, falling back to the
/// locale's generic text and to en-US. They carry no amount and no name, so no personal data travels
/// in them; the template catalogue with placeholders comes with the templates API.
/// </summary>
public sealed class DefaultMessageComposer : IMessageComposer
{
    private const string FallbackLocale = "en-US";
    private const string GenericKey = "generic";
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _texts;

    public DefaultMessageComposer()
    {
        using var stream = typeof(DefaultMessageComposer).Assembly.GetManifestResourceStream("OrleansReminders.Grains.Messaging.default-texts.json")
            ?? throw new InvalidOperationException("default-texts.json is not embedded");
        using var document = JsonDocument.Parse(stream);
        _texts = document.RootElement.EnumerateObject()
            .Where(locale => locale.Value.ValueKind == JsonValueKind.Object)
            .ToFrozenDictionary(
                locale => locale.Name,
                locale => locale.Value.EnumerateObject().ToFrozenDictionary(t => t.Name, t => t.Value.GetString() ?? ""),
                StringComparer.Ordinal);
    }

    public SmsMessage Compose(OutboundMessage message)
    {
        var texts = _texts.GetValueOrDefault(message.Locale) ?? _texts[FallbackLocale];
        var text = texts.GetValueOrDefault(message.TemplateKey) ?? texts[GenericKey];
        return new SmsMessage(message.MessageKey, message.BorrowerId, message.To, text, message.TemplateKey,
            FrozenDictionary<string, string>.Empty, message.SendBy, message.Transactional, message.Tier);
    }
}
