using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodaTime;
using OrleansReminders.Contracts.Dispatching;
using OrleansReminders.Contracts.Templates;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;
using OrleansReminders.Grains.Templates;

namespace OrleansReminders.Grains.Messaging;

/// <summary>Turns a borrower's outbound message into what a provider sends.</summary>
public interface IMessageComposer
{
    Task<SmsMessage> ComposeAsync(OutboundMessage message);
}

/// <summary>
/// The text of a message: the approved template for its key (<c>templateKey/tier/locale/variant</c>, from the
/// template grains, cached for <see cref="CacheFor"/>), rendered with the borrower's values; without an
/// approved template (or when it cannot render these values), the shipped text for the template key and
/// locale (Messaging/Data/default-texts.json), which names no amount and no person.
/// </summary>
public sealed partial class DefaultMessageComposer(IGrainFactory grains, TimeProvider time, ILogger<DefaultMessageComposer> logger) : IMessageComposer
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private const string FallbackLocale = "en-US";
    private const string GenericKey = "generic";
    private static readonly FrozenDictionary<string, FrozenDictionary<string, string>> ShippedTexts = LoadShipped();
    private static readonly TemplateRenderer Renderer = new();
    private readonly ConcurrentDictionary<string, (MessageTemplate? Template, DateTimeOffset Until)> _approved = new(StringComparer.Ordinal);

    public async Task<SmsMessage> ComposeAsync(OutboundMessage message)
    {
        var text = await RenderApprovedAsync(message) ?? Shipped(message);
        return new SmsMessage(message.MessageKey, message.BorrowerId, message.To, text, message.TemplateKey,
            FrozenDictionary<string, string>.Empty, message.SendBy, message.Transactional, message.Tier.Name());
    }

    private async Task<string?> RenderApprovedAsync(OutboundMessage message)
    {
        if (message.Values is not { } values)
        {
            return null;
        }

        var key = TemplateGrain.KeyFor(message.TemplateKey, message.Tier.Name(), message.Locale, message.ToneVariant);
        var now = time.GetUtcNow();
        if (!_approved.TryGetValue(key, out var cached) || cached.Until <= now)
        {
            cached = (Approved(await grains.GetGrain<ITemplateGrain>(key).GetAsync(), key), now + CacheFor);
            _approved[key] = cached;
        }

        if (cached.Template is not { } template)
        {
            return null;
        }

        try
        {
            return Renderer.RenderForSending(template, new TemplateValues(
                values.Name, values.AmountDue, values.Currency, LocalDate.FromDateOnly(values.DueDate), values.DaysOverdue, "")).Text;
        }
        catch (Exception ex) when (ex is DomainValidationException or TemplateNotSendableException)
        {
            LogRenderFailed(logger, key, ex.GetType().Name); // the type only: a message could quote a value
            return null;
        }
    }

    private MessageTemplate? Approved(TemplateView? view, string key)
    {
        if (view is not { Status: "approved" } || TemplateGrain.ParseKey(key) is not { } templateKey)
        {
            return null;
        }

        try
        {
            return MessageTemplate.Restore(templateKey, view.Body, view.MaxSegments, Channel.Sms, TemplateStatus.Approved,
                view.ApprovedBy, view.ApprovedAt is { } at ? Instant.FromDateTimeOffset(at) : null, null, null);
        }
        catch (TemplateMigrationException ex)
        {
            LogNotMigrated(logger, key, ex.Message);
            return null;
        }
    }

    private static string Shipped(OutboundMessage message)
    {
        var texts = ShippedTexts.GetValueOrDefault(message.Locale) ?? ShippedTexts[FallbackLocale];
        return texts.GetValueOrDefault(message.TemplateKey) ?? texts[GenericKey];
    }

    private static FrozenDictionary<string, FrozenDictionary<string, string>> LoadShipped()
    {
        using var stream = typeof(DefaultMessageComposer).Assembly.GetManifestResourceStream("OrleansReminders.Grains.Messaging.default-texts.json")
            ?? throw new InvalidOperationException("default-texts.json is not embedded");
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.EnumerateObject()
            .Where(locale => locale.Value.ValueKind == JsonValueKind.Object)
            .ToFrozenDictionary(
                locale => locale.Name,
                locale => locale.Value.EnumerateObject().ToFrozenDictionary(t => t.Name, t => t.Value.GetString() ?? ""),
                StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Approved template {TemplateKey} is not sent (the shipped text is): {Reason}")]
    private static partial void LogNotMigrated(ILogger logger, string templateKey, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Approved template {TemplateKey} could not render a message ({Reason}); the shipped text was sent")]
    private static partial void LogRenderFailed(ILogger logger, string templateKey, string reason);
}
