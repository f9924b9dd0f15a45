using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>
/// A borrower's status as the API sends it, with what it promises about freshness:
/// <list type="bullet">
/// <item><c>ETag</c>: a strong tag over the JSON body (the same content gives the same tag on every silo);
/// <c>If-None-Match</c> with it answers 304 and no body while nothing changed.</item>
/// <item><c>As-Of</c>: the business time the time-dependent fields (days overdue, tier) were computed at. They hold
/// until the borrower's next local midnight; every change the service acknowledged before the request is in.</item>
/// <item><c>Cache-Control: private, no-cache</c>: a client may keep the answer but must ask again (conditionally) before
/// using it.</item>
/// </list>
/// </summary>
internal static class StatusRepresentation
{
    public const string AsOfHeader = "As-Of";

    private const string CacheControl = "private, no-cache";

    /// <summary>
    /// Each status object's body and tag, made once: a status the silo's cache answers with is the same (immutable)
    /// object on every read until the grain changes, so repeated reads neither serialise nor hash it again. Entries go
    /// with their status objects.
    /// </summary>
    private static readonly ConditionalWeakTable<BorrowerStatus, Sent> Made = [];

    /// <summary>Sets the headers and answers 200 with the body, or 304 when the client's tag is current.</summary>
    public static Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult> Answer(HttpContext context, BorrowerStatus status, DateTimeOffset asOf, JsonSerializerOptions options)
    {
        var (body, tag) = Made.GetValue(status, s =>
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(s, options.GetTypeInfo(typeof(BorrowerStatus)));
            return new Sent(bytes, Tag(bytes));
        });
        var headers = context.Response.Headers;
        headers.ETag = tag;
        headers.CacheControl = CacheControl;
        headers[AsOfHeader] = asOf.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return Matches(context.Request.Headers.IfNoneMatch, tag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(body, "application/json; charset=utf-8");
    }

    /// <summary>The entity tag of a status body: the first 16 bytes of its SHA-256, quoted.</summary>
    public static string Tag(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return "\"" + Convert.ToHexStringLower(hash[..16]) + "\"";
    }

    private sealed record Sent(byte[] Body, string Tag);

    /// <summary>
    /// <c>If-None-Match</c>'s weak comparison (RFC 9110 13.1.2): <c>*</c>, or any listed tag equal to ours with or
    /// without <c>W/</c>. A header that does not parse matches nothing (the client gets the full answer).
    /// </summary>
    private static bool Matches(StringValues ifNoneMatch, string tag)
    {
        if (StringValues.IsNullOrEmpty(ifNoneMatch) || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }

        var ours = new EntityTagHeaderValue(tag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(ours, useStrongComparison: false));
    }
}
