using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OrleansReminders.Grains.Borrowers;
using OrleansReminders.Silo.Hosting;

namespace OrleansReminders.Silo.Security;

/// <summary>
/// API keys with roles (<c>Api:Keys</c>, hashed at rest), one authorization policy per role, and a
/// per-key rate limit. With no key configured the host makes one admin key for this run only and logs it
/// once, so the embedded default is usable out of the box; configure keys for anything else (outside
/// Development with PostgreSQL start-up refuses without them, and with the development <c>Privacy:PhoneKeySecret</c>). Browser-facing
/// pages (the dashboard) use <see cref="BrowserOpsPolicy"/>, which also takes the key by HTTP Basic.
/// </summary>
internal static partial class ApiSecurityHosting
{
    public const string RateLimitPolicy = "per-key";

    /// <summary>The ops role, by the <c>X-Api-Key</c> header or by HTTP Basic with the key as password (browser prompt).</summary>
    public const string BrowserOpsPolicy = "ops-browser";

    public static WebApplicationBuilder AddApiSecurity(this WebApplicationBuilder builder)
    {
        // A temporary key only when none is configured; outside Development with PostgreSQL start-up then refuses.
        string? temporaryKey = null;
        if (!builder.Configuration.GetSection($"{ApiOptions.SectionName}:{nameof(ApiOptions.Keys)}").GetChildren().Any())
        {
            temporaryKey = "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        }

        builder.Services.AddSingleton(new TemporaryApiKey(temporaryKey));
        builder.Services.AddValidatedOptions<ApiOptions>(ApiOptions.SectionName)
            .WithRule(o => o.Problems())
            .PostConfigure(o =>
            {
                if (temporaryKey is not null && o.Keys.Count == 0)
                {
                    o.Keys.Add(new ApiKeyEntry { Name = "temporary-admin", Sha256 = ApiKeys.Hash(temporaryKey), Roles = [ApiRoles.Admin] });
                }
            });
        builder.Services.AddSingleton<IValidateOptions<ApiOptions>, ProductionSecrets.ApiKeysRule>();
        builder.Services.AddValidatedOptions<PrivacyOptions>(PrivacyOptions.SectionName)
            .WithRule(o => string.IsNullOrWhiteSpace(o.PhoneKeySecret) ? [$"{PrivacyOptions.SectionName}:PhoneKeySecret: must not be empty"] : []);
        builder.Services.AddSingleton<IValidateOptions<PrivacyOptions>, ProductionSecrets.PhoneKeySecretRule>();
        // The senders (and through the inbound router this keyer) are built while start-up validation checks that
        // the dispatch accounts exist, so the keyer takes the bound value unvalidated: reading the validated options
        // here would stop that check at the first invalid secret instead of listing every problem. Start-up still
        // refuses an invalid secret (the validators above).
        builder.Services.AddSingleton(sp => new PhoneKeyer(
            (sp.GetRequiredService<IConfiguration>().GetSection(PrivacyOptions.SectionName).Get<PrivacyOptions>() ?? new PrivacyOptions()).PhoneKeySecret));
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.BasicSchemeName, o => o.AcceptBasic = true);
        builder.Services.AddAuthorization(options =>
        {
            foreach (var role in ApiRoles.All)
            {
                options.AddPolicy(role, policy => policy.RequireRole(ApiRoles.Satisfying(role)));
            }

            options.AddPolicy(BrowserOpsPolicy, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.BasicSchemeName)
                .RequireRole(ApiRoles.Satisfying(ApiRoles.Ops)));
        });
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                // The fixed window says when it opens again; a client that waits that long gets through.
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return new ValueTask(Results.Problem("too many requests for this API key; slow down",
                    statusCode: StatusCodes.Status429TooManyRequests, extensions: new Dictionary<string, object?> { ["field"] = ApiKeyAuthenticationHandler.Header })
                    .ExecuteAsync(context.HttpContext));
            };
            options.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.Identity?.Name ?? "anonymous",
                _ => new FixedWindowRateLimiterOptions {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.RequestsPerSecondPerKey, Window = TimeSpan.FromSeconds(1), QueueLimit = 0 }));
        });
        return builder;
    }

    public static void LogTemporaryKey(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TemporaryApiKey>().Key is { } key)
        {
            LogTemporary(app.Services.GetRequiredService<ILogger<ApiOptions>>(), key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No API keys are configured (Api:Keys): this run accepts the temporary admin key {ApiKey} in the X-Api-Key header. Configure keys with hashed values for anything but a local try-out.")]
    private static partial void LogTemporary(ILogger logger, string apiKey);
}

/// <summary>The key made for this run when none is configured (null otherwise).</summary>
public sealed record TemporaryApiKey(string? Key);
