using System.Globalization;
using System.Text.Json;
using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Sms.Http;

/// <summary>
/// Reads Alibaba Cloud SMS pushes. A receipt push (SmsReport) is a JSON array of
/// <c>{phone_number, send_time, report_time, success, err_code, err_msg, biz_id, out_id}</c>; each element
/// becomes a <see cref="SmsDeliveryReport"/> with the client reference taken from <c>out_id</c> (null for a
/// batch's <c>out_id</c>, see <see cref="AliyunStyleSmsSender.SendBatchAsync"/>), Delivered when
/// <c>success</c> is true and Failed otherwise, and <c>err_code</c> as the provider code. A reply push
/// (SmsUp, 上行) is an array of <c>{phone_number, content, send_time, sign_name, dest_code, sequence_id}</c>;
/// each element becomes an <see cref="SmsInboundMessage"/> keyed by <c>sequence_id</c>. Times are Beijing
/// time (UTC+8) without an offset, as Alibaba sends them. Numbers come back without "+": an 11-digit number
/// starting with 1 is read as a mainland mobile (+86), anything else as country code and number. Elements
/// without their key fields are skipped; a body that is not JSON throws <see cref="JsonException"/>.
/// Verify the push with <see cref="AliyunStyleWebhookValidator"/> first.
/// </summary>
public static class AliyunStyleWebhookParser
{
    /// <summary>The answer Alibaba expects from the push endpoint once a push is taken.</summary>
    public const string Acknowledgement = """{"code":0,"msg":"成功"}""";

    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    public static IReadOnlyList<SmsDeliveryReport> ParseReports(string json)
    {
        var reports = new List<SmsDeliveryReport>();
        foreach (var item in Elements(json))
        {
            var bizId = Text(item, "biz_id");
            var success = Bool(item, "success");
            if (bizId is null || success is null)
            {
                continue;
            }

            var outId = Text(item, "out_id");
            var clientReference = outId is null || outId.StartsWith(AliyunStyleSmsSender.BatchOutIdPrefix, StringComparison.Ordinal)
                ? null
                : outId;
            reports.Add(new SmsDeliveryReport(
                clientReference,
                success.Value ? DeliveryStatus.Delivered : DeliveryStatus.Failed,
                Text(item, "err_code"),
                bizId,
                Time(item, "report_time"),
                ToE164(Text(item, "phone_number"))));
        }

        return reports;
    }

    public static IReadOnlyList<SmsInboundMessage> ParseReplies(string json)
    {
        var replies = new List<SmsInboundMessage>();
        foreach (var item in Elements(json))
        {
            var sequenceId = Text(item, "sequence_id");
            var from = ToE164(Text(item, "phone_number"));
            if (sequenceId is null || from is null)
            {
                continue;
            }

            replies.Add(new SmsInboundMessage(sequenceId, from, Text(item, "content") ?? "", Time(item, "send_time"), Text(item, "dest_code")));
        }

        return replies;
    }

    /// <summary>A pushed number in E.164 (see the class summary for the mainland rule); null when it is not digits.</summary>
    public static string? ToE164(string? pushed)
    {
        if (string.IsNullOrEmpty(pushed) || pushed.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        return pushed.Length == 11 && pushed[0] == '1' ? "+86" + pushed : "+" + pushed;
    }

    private static List<JsonElement> Elements(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? [.. document.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(e => e.Clone())]
            : [];
    }

    private static string? Text(JsonElement item, string name)
    {
        if (!item.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    private static bool? Bool(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
                _ => null,
            }
            : null;

    private static DateTimeOffset? Time(JsonElement item, string name) =>
        DateTime.TryParseExact(Text(item, name), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, BeijingOffset)
            : null;
}
