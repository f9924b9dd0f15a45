using System.ComponentModel.DataAnnotations;
using Orleans;

namespace OrleansReminders.Sms.Http;

/// <summary>
/// One account on Alibaba Cloud's SMS service (Dysmsapi, RPC style, API version 2017-05-25) or an API of the
/// same shape. Messages go out by approved template: <see cref="TemplateCodes"/> maps our template keys to
/// the account's template codes, and <see cref="SignName"/> is the approved signature shown in 【】.
/// The receipt settings belong to our push endpoint (see <see cref="AliyunStyleWebhookValidator"/>).
/// </summary>
public sealed class AliyunStyleOptions
{
    public const string SectionName = "Sms:Aliyun";

    /// <summary>The account's name in configuration, logs and metrics (<see cref="Grains.Messaging.ISmsSender.Name"/>).</summary>
    [Required]
    public string Name { get; set; } = "aliyun";

    /// <summary>API endpoint (the global one by default; regional endpoints have the same shape).</summary>
    [Required, Url]
    public string Endpoint { get; set; } = "https://dysmsapi.aliyuncs.com";

    [Required]
    public string AccessKeyId { get; set; } = "";

    /// <summary>Signs every request (HMAC-SHA1 keyed with the secret followed by <c>&amp;</c>).</summary>
    [Required, Redact]
    public string AccessKeySecret { get; set; } = "";

    /// <summary>The approved SMS signature name (签名).</summary>
    [Required]
    public string SignName { get; set; } = "";

    [Required]
    public string RegionId { get; set; } = "cn-hangzhou";

    /// <summary>Our template key → the account's approved template code (e.g. <c>SMS_71390007</c>).</summary>
    public Dictionary<string, string> TemplateCodes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long one API call may take before it counts as a transient failure (Alibaba advises at least 1 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Shared secret our receipt/reply push endpoint requires signatures with (see <see cref="AliyunStyleWebhookValidator"/>).</summary>
    [Redact]
    public string? PushSigningSecret { get; set; }

    /// <summary>How far a pushed request's timestamp may be from our clock, either way, before it is refused as a replay.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PushTimestampWindow { get; set; } = TimeSpan.FromMinutes(5);
}
