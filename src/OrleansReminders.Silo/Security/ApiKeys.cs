using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OrleansReminders.Silo.Security;

/// <summary>Roles of API keys. Admin implies every role; ingest and ops imply reader.</summary>
public static class ApiRoles
{
    public const string Reader = "reader";
    public const string Ingest = "ingest";
    public const string Ops = "ops";
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Reader, Ingest, Ops, Admin], StringComparer.Ordinal);

    /// <summary>The roles that satisfy a policy named after <paramref name="role"/>.</summary>
    public static string[] Satisfying(string role) => role switch
    {
        Reader => [Reader, Ingest, Ops, Admin],
        Ingest => [Ingest, Admin],
        Ops => [Ops, Admin],
        _ => [Admin],
    };
}

/// <summary>One configured key: a name (in audit entries), the SHA-256 of the key (hex; the key itself is never stored), roles.</summary>
public sealed class ApiKeyEntry
{
    public string Name { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public List<string> Roles { get; set; } = [];
}

/// <summary>Configuration section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    public List<ApiKeyEntry> Keys { get; set; } = [];

    /// <summary>Requests per second one key may make; beyond it 429.</summary>
    public int RequestsPerSecondPerKey { get; set; } = 2_000;

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        for (var i = 0; i < Keys.Count; i++)
        {
            var key = Keys[i];
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                problems.Add($"Api:Keys:{i}:Name: is required");
            }

            if (key.Sha256.Length != 64 || !key.Sha256.All(char.IsAsciiHexDigit))
            {
                problems.Add($"Api:Keys:{i}:Sha256: must be the 64 hex digits of the key's SHA-256 (echo -n KEY | sha256sum)");
            }

            if (key.Roles.Count == 0 || key.Roles.Any(r => !ApiRoles.All.Contains(r)))
            {
                problems.Add($"Api:Keys:{i}:Roles: must name one or more of {string.Join(", ", ApiRoles.All)}");
            }
        }

        if (RequestsPerSecondPerKey < 1)
        {
            problems.Add("Api:RequestsPerSecondPerKey: must be at least 1");
        }

        return problems;
    }
}

/// <summary>Options of <see cref="ApiKeyAuthenticationHandler"/>.</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// Also accept HTTP Basic authentication with the API key as password (any user name), and challenge
    /// with <c>WWW-Authenticate: Basic</c> so a browser prompts for it. For browser-facing pages only: a
    /// browser replays Basic credentials on its own, so the API, which changes state, keeps to the header.
    /// </summary>
    public bool AcceptBasic { get; set; }
}

/// <summary>
/// The <c>X-Api-Key</c> header checked against the configured hashes (constant-time). The principal's
/// name is the key's name, its roles the key's roles. Refusals are Problem Details: 401 without a valid
/// key, 403 when the key lacks the role. The <see cref="BasicSchemeName"/> scheme also takes the key as
/// the password of HTTP Basic authentication (the header wins when both come).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ApiOptions> api) : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string BasicSchemeName = "ApiKeyOrBasic";
    public const string Header = "X-Api-Key";
    public const string Realm = "OrleansReminders";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(presented) && Options.AcceptBasic)
        {
            switch (ApiKeys.BasicPassword(Request.Headers.Authorization.ToString()))
            {
                case { Ok: false }:
                    return Task.FromResult(AuthenticateResult.Fail("malformed Basic credentials"));
                case { Password: { } password }:
                    presented = password;
                    break;
            }
        }

        if (string.IsNullOrEmpty(presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        foreach (var key in api.Value.Keys)
        {
            if (Convert.FromHexString(key.Sha256) is { Length: 32 } expected && CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                var identity = new ClaimsIdentity(
                    [new Claim(ClaimTypes.Name, key.Name), .. key.Roles.Select(r => new Claim(ClaimTypes.Role, r))], Scheme.Name);
                return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
            }
        }

        return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!Options.AcceptBasic)
        {
            return WriteProblemAsync(StatusCodes.Status401Unauthorized, $"{Header}: a valid API key is required");
        }

        Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\"";
        return WriteProblemAsync(StatusCodes.Status401Unauthorized,
            $"{Header}: a valid API key is required, in the header or as the password of HTTP Basic authentication");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, $"{Header}: this key's roles do not allow this operation");

    private Task WriteProblemAsync(int status, string detail) => Results.Problem(detail, statusCode: status,
        extensions: new Dictionary<string, object?> { ["field"] = Header }).ExecuteAsync(Context);
}

public static class ApiKeys
{
    /// <summary>Who did it, for the audit trail: the API key's name.</summary>
    public static string Actor(ClaimsPrincipal user) => "key:" + (user.Identity?.Name ?? "unknown");

    /// <summary>The hex SHA-256 of a key, as configured in <c>Api:Keys:n:Sha256</c>.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>
    /// The password of an <c>Authorization: Basic</c> header (base64 of <c>user:password</c>, UTF-8; the user
    /// name is not checked): <c>(true, null)</c> without Basic credentials, <c>(false, null)</c> when they are malformed.
    /// </summary>
    public static (bool Ok, string? Password) BasicPassword(string authorization)
    {
        const string prefix = "Basic ";
        if (!authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return (true, null);
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[prefix.Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (false, null) : (true, decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (false, null);
        }
    }
}
