using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrleansReminders.Grains.Messaging;
using OrleansReminders.Silo.Hosting;
using OrleansReminders.Sms.Http;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>
/// Provider callbacks: delivery receipts and inbound replies, per provider, accepted on signature only
/// (401 with a Problem Details body for a missing, wrong or — where the provider signs a timestamp —
/// stale signature), then routed to the borrower grains. Receipts route by the client reference the
/// provider echoes; replies by the sender's number (phone directory). Statuses only move forward in the
/// borrower grain and reply ids are remembered there, so a provider's retries are harmless.
/// A provider without configured credentials answers 404: its callbacks cannot be verified.
/// Unauthenticated requests cost little: the signature headers are checked before the body is read, the
/// body is limited (<c>Api:Limits:MaxWebhookBodyBytes</c>), the Aliyun-style body streams into its HMAC as raw
/// bytes, and a malformed form or body is a 400.
/// </summary>
internal static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/webhooks").WithTags("Webhooks").DisableAntiforgery().WithBodyLimit(BodyKind.Webhook);
        Signed(hooks.MapPost("/twilio/status", TwilioStatusAsync), Form)
            .WithSummary("Twilio-style delivery status callback (form, X-Twilio-Signature).").Produces(StatusCodes.Status204NoContent);
        Signed(hooks.MapPost("/twilio/inbound", TwilioInboundAsync), Form)
            .WithSummary("Twilio-style inbound SMS (form, X-Twilio-Signature); answers empty TwiML.").Produces<string>(StatusCodes.Status200OK, "application/xml");
        Signed(hooks.MapPost("/aliyun/receipts", AliyunReceiptsAsync), "application/json")
            .WithSummary("Aliyun-style delivery receipt push (JSON array, signed).").Produces<AliyunAcknowledgement>(StatusCodes.Status200OK, "application/json");
        Signed(hooks.MapPost("/aliyun/replies", AliyunRepliesAsync), "application/json")
            .WithSummary("Aliyun-style reply push (JSON array, signed).").Produces<AliyunAcknowledgement>(StatusCodes.Status200OK, "application/json");
        return app;
    }

    private const string Form = "application/x-www-form-urlencoded";

    /// <summary>A provider callback: the body as the provider sends it, signed; 400 malformed, 401 unsigned, 404 provider not configured.</summary>
    private static RouteHandlerBuilder Signed(RouteHandlerBuilder hook, string contentType) => hook
        .WithMetadata(new RequestBodyMetadata(typeof(string), contentType))
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> TwilioStatusAsync(HttpRequest request, IOptions<TwilioStyleOptions> options, IInboundRouter router, TimeProvider time)
    {
        var (form, refusal) = await VerifiedTwilioFormAsync(request, options.Value);
        if (refusal is not null)
        {
            return refusal;
        }

        if (TwilioWebhookParser.ParseStatusCallback(PublicUrl(request), form!) is { ClientReference: { } reference } report)
        {
            await router.ReceiptAsync(reference, report.Status, report.At ?? time.GetUtcNow(), report.ProviderCode);
        }

        return TypedResults.NoContent();
    }

    private static async Task<IResult> TwilioInboundAsync(HttpRequest request, IOptions<TwilioStyleOptions> options, IInboundRouter router, TimeProvider time)
    {
        var (form, refusal) = await VerifiedTwilioFormAsync(request, options.Value);
        if (refusal is not null)
        {
            return refusal;
        }

        if (TwilioWebhookParser.ParseInboundMessage(form!) is not { } message)
        {
            return Problem(StatusCodes.Status400BadRequest, "MessageSid and From are required", "form");
        }

        await router.ReplyFromAsync(message.From, message.ReplyId, message.Text, message.At ?? time.GetUtcNow());
        return TypedResults.Content("<Response/>", "application/xml"); // no auto-reply
    }

    private static async Task<IResult> AliyunReceiptsAsync(HttpRequest request, IOptions<AliyunStyleOptions> options, IInboundRouter router, TimeProvider time)
    {
        var (body, refusal) = await VerifiedAliyunBodyAsync(request, options.Value, time);
        if (refusal is not null)
        {
            return refusal;
        }

        IReadOnlyList<SmsDeliveryReport> reports;
        try
        {
            reports = AliyunStyleWebhookParser.ParseReports(body!);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return Problem(StatusCodes.Status400BadRequest, "the body is not a receipt report array: " + ex.Message, "body");
        }

        foreach (var report in reports.Where(r => r.ClientReference is not null))
        {
            await router.ReceiptAsync(report.ClientReference!, report.Status, report.At ?? time.GetUtcNow(), report.ProviderCode);
        }

        return TypedResults.Content(AliyunStyleWebhookParser.Acknowledgement, "application/json");
    }

    private static async Task<IResult> AliyunRepliesAsync(HttpRequest request, IOptions<AliyunStyleOptions> options, IInboundRouter router, TimeProvider time)
    {
        var (body, refusal) = await VerifiedAliyunBodyAsync(request, options.Value, time);
        if (refusal is not null)
        {
            return refusal;
        }

        IReadOnlyList<SmsInboundMessage> replies;
        try
        {
            replies = AliyunStyleWebhookParser.ParseReplies(body!);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return Problem(StatusCodes.Status400BadRequest, "the body is not a reply array: " + ex.Message, "body");
        }

        foreach (var reply in replies)
        {
            await router.ReplyFromAsync(reply.From, reply.ReplyId, reply.Text, reply.At ?? time.GetUtcNow());
        }

        return TypedResults.Content(AliyunStyleWebhookParser.Acknowledgement, "application/json");
    }

    /// <summary>
    /// The form of a Twilio-style callback when its signature holds. The signature header must be present and
    /// well formed before the form is read; the form itself is bounded (field count and lengths) and a
    /// malformed one is a 400.
    /// </summary>
    private static async Task<(IReadOnlyDictionary<string, string>? Form, IResult? Refusal)> VerifiedTwilioFormAsync(
        HttpRequest request, TwilioStyleOptions options)
    {
        if (string.IsNullOrEmpty(options.AuthToken))
        {
            return (null, Problem(StatusCodes.Status404NotFound, "the Twilio-style provider is not configured (Sms:Twilio:AuthToken)", "provider"));
        }

        var signature = request.Headers[TwilioWebhookValidator.SignatureHeader].ToString();
        var unsigned = Problem(StatusCodes.Status401Unauthorized,
            $"missing or wrong {TwilioWebhookValidator.SignatureHeader} for this URL and form", TwilioWebhookValidator.SignatureHeader);
        if (!TwilioWebhookValidator.IsWellFormed(signature))
        {
            return (null, unsigned);
        }

        if (!request.HasFormContentType)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "must be a form (application/x-www-form-urlencoded)", "body"));
        }

        Dictionary<string, string> form;
        try
        {
            form = (await request.ReadFormAsync(TwilioForm, request.HttpContext.RequestAborted))
                .ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        }
        catch (InvalidDataException ex)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "is not a well-formed form: " + ex.Message, "body"));
        }

        return new TwilioWebhookValidator(options.AuthToken).IsValid(PublicUrl(request), form, signature) ? (form, null) : (null, unsigned);
    }

    private static readonly Microsoft.AspNetCore.Http.Features.FormOptions TwilioForm = new()
    {
        ValueCountLimit = 200,
        KeyLengthLimit = 256,
        ValueLengthLimit = 16 * 1024,
        MultipartBodyLengthLimit = 64 * 1024,
    };

    private static async Task<(string? Body, IResult? Refusal)> VerifiedAliyunBodyAsync(HttpRequest request, AliyunStyleOptions options, TimeProvider time)
    {
        if (string.IsNullOrEmpty(options.PushSigningSecret))
        {
            return (null, Problem(StatusCodes.Status404NotFound, "the Aliyun-style push endpoint is not configured (Sms:Aliyun:PushSigningSecret)", "provider"));
        }

        var (verdict, body) = await new AliyunStyleWebhookValidator(options.PushSigningSecret, time, options.PushTimestampWindow).VerifyAsync(
            request.Headers[AliyunStyleWebhookValidator.TimestampHeader].ToString(),
            request.Headers[AliyunStyleWebhookValidator.SignatureHeader].ToString(),
            request.Body,
            request.HttpContext.RequestAborted);
        if (verdict != PushVerdict.Valid)
        {
            return (null, Problem(StatusCodes.Status401Unauthorized, $"push refused: {verdict}", verdict == PushVerdict.BadSignature
                ? AliyunStyleWebhookValidator.SignatureHeader
                : AliyunStyleWebhookValidator.TimestampHeader));
        }

        try
        {
            return (new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body!), null);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "is not UTF-8 text", "body"));
        }
    }

    /// <summary>The URL the provider called: <c>Webhooks:PublicBaseUrl</c> when behind a proxy, else as received.</summary>
    private static string PublicUrl(HttpRequest request)
    {
        var configured = request.HttpContext.RequestServices.GetRequiredService<IConfiguration>()["Webhooks:PublicBaseUrl"];
        var path = request.Path + request.QueryString;
        return string.IsNullOrWhiteSpace(configured)
            ? $"{request.Scheme}://{request.Host}{path}"
            : configured.TrimEnd('/') + path;
    }

    private static ProblemHttpResult Problem(int status, string detail, string field) =>
        TypedResults.Problem(detail, statusCode: status, extensions: new Dictionary<string, object?> { ["field"] = field });
}

/// <summary>
/// The shape of what an Aliyun-style push is answered with when taken, for the OpenAPI document; the answer itself is
/// <see cref="OrleansReminders.Sms.Http.AliyunStyleWebhookParser.Acknowledgement"/> (<c>{"code":0,"msg":"成功"}</c>).
/// </summary>
public sealed record AliyunAcknowledgement(int Code, string Msg);
