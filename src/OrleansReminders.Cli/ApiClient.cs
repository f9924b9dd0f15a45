using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OrleansReminders.Cli;

/// <summary>The service's HTTP API as the CLI uses it; refusals become <see cref="CliException"/>s with a clear message.</summary>
internal sealed class ApiClient(HttpClient http, Uri baseUrl, string? key)
{
    public async Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, path, null, null, cancellationToken);

    public async Task<JsonElement> PostJsonAsync(string path, object body, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body, JsonSerializerOptions.Web), "application/json", cancellationToken);

    public async Task<JsonElement> PostRawAsync(string path, string body, string contentType, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Post, path, body, contentType, cancellationToken);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUrl, path));
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(ExitCodes.Unreachable, $"cannot reach {baseUrl} ({ex.Message}). Is the service running? Set --url or ORLEANSREMINDERS_URL.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"{baseUrl} did not answer in time");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            }

            var detail = Detail(text) ?? response.ReasonPhrase ?? "refused";
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new CliException(ExitCodes.Auth, $"the API key was refused: {detail}. Set --key or ORLEANSREMINDERS_KEY."),
                HttpStatusCode.Forbidden => new CliException(ExitCodes.Auth, $"this API key may not do that: {detail}"),
                HttpStatusCode.NotFound => new CliException(ExitCodes.Refused, $"not found: {detail}"),
                _ => new CliException(ExitCodes.Refused, $"refused ({(int)response.StatusCode}): {detail}"),
            };
        }
    }

    /// <summary>The Problem Details text: detail, or each field's errors.</summary>
    private static string? Detail(string text)
    {
        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                return string.Join("; ", errors.EnumerateObject().Select(e => $"{e.Name}: {string.Join(", ", e.Value.EnumerateArray().Select(v => v.GetString()))}"));
            }

            return problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int Usage = 2;
    public const int Unreachable = 3;
    public const int Auth = 4;
}

internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
