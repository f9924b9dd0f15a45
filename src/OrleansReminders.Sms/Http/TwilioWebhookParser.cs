using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Sms.Http;

/// <summary>
/// Reads Twilio's webhook forms. A status callback (<c>MessageSid</c>, <c>MessageStatus</c>,
/// <c>ErrorCode</c>, <c>To</c>) becomes a <see cref="SmsDeliveryReport"/> whose client reference is the
/// <c>ref</c> query parameter <see cref="TwilioStyleSmsSender"/> put on the callback URL; an incoming
/// message (<c>MessageSid</c>, <c>From</c>, <c>To</c>, <c>Body</c>) becomes an <see cref="SmsInboundMessage"/>.
/// Check the signature with <see cref="TwilioWebhookValidator"/> first. Twilio's callbacks carry no time,
/// so <c>At</c> is null: the endpoint uses the time it received them.
/// </summary>
public static class TwilioWebhookParser
{
    /// <summary>The query parameter of the status-callback URL that carries our client reference.</summary>
    public const string ReferenceParameter = "ref";

    /// <summary>
    /// The report in a status callback, or null for a status we do not track (<c>receiving</c>,
    /// <c>received</c>, <c>partially_delivered</c>, anything new) or a form without one.
    /// </summary>
    public static SmsDeliveryReport? ParseStatusCallback(string requestUrl, IReadOnlyDictionary<string, string> form)
    {
        // SmsStatus/SmsSid are the older names Twilio still sends alongside the new ones.
        var status = MapStatus(Value(form, "MessageStatus") ?? Value(form, "SmsStatus"));
        if (status is null)
        {
            return null;
        }

        var rawStatus = Value(form, "MessageStatus") ?? Value(form, "SmsStatus");
        var code = Value(form, "ErrorCode") ?? (rawStatus == "canceled" ? "canceled" : null);
        return new SmsDeliveryReport(
            QueryValue(requestUrl, ReferenceParameter),
            status.Value,
            code,
            Value(form, "MessageSid") ?? Value(form, "SmsSid"),
            At: null,
            PhoneNumber: Value(form, "To"));
    }

    /// <summary>The message in an incoming-message webhook, or null when the form lacks its sid or sender.</summary>
    public static SmsInboundMessage? ParseInboundMessage(IReadOnlyDictionary<string, string> form)
    {
        var sid = Value(form, "MessageSid") ?? Value(form, "SmsSid");
        var from = Value(form, "From");
        if (sid is null || from is null)
        {
            return null;
        }

        return new SmsInboundMessage(sid, from, form.GetValueOrDefault("Body") ?? "", At: null, To: Value(form, "To"));
    }

    /// <summary>Twilio's message status in our terms; null for statuses that say nothing about delivery.</summary>
    public static DeliveryStatus? MapStatus(string? messageStatus) => messageStatus switch
    {
        "accepted" or "scheduled" or "queued" => DeliveryStatus.Queued,
        "sending" or "sent" => DeliveryStatus.Sent,
        "delivered" or "read" => DeliveryStatus.Delivered,
        "undelivered" => DeliveryStatus.Undeliverable,
        "failed" or "canceled" => DeliveryStatus.Failed,
        _ => null,
    };

    private static string? Value(IReadOnlyDictionary<string, string> form, string key) =>
        form.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>One query parameter of a URL, form-decoded; null when absent or empty.</summary>
    internal static string? QueryValue(string url, string name)
    {
        var start = url.IndexOf('?', StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = url.IndexOf('#', start);
        var query = end < 0 ? url[(start + 1)..] : url[(start + 1)..end];
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(equals < 0 ? pair : pair[..equals]);
            if (key == name)
            {
                var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
                return value.Length == 0 ? null : value;
            }
        }

        return null;
    }

    private static string Decode(string component) => Uri.UnescapeDataString(component.Replace('+', ' '));
}
