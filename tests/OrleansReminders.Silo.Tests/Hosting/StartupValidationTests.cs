using Microsoft.Extensions.Hosting;
using OrleansReminders.Grains.Borrowers;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Tests.Hosting;

/// <summary>
/// Invalid settings stop start-up before the silo starts (no host is left running), one line per problem naming
/// the setting. The PostgreSQL connection string points at a closed port: validation refuses before anything connects.
/// </summary>
public sealed class StartupValidationTests
{
    private const string UnreachablePostgreSql = "Host=127.0.0.1;Port=1;Username=nobody;Password=none;Database=none;Timeout=1";

    private static readonly Dictionary<string, string?> Keys = new()
    {
        ["Api:Keys:0:Name"] = "owner", ["Api:Keys:0:Sha256"] = ApiKeys.Hash("admin-key"), ["Api:Keys:0:Roles:0"] = "admin",
    };

    [Fact]
    public async Task ProductionOnPostgreSqlRefusesToStartWithoutApiKeys()
    {
        var lines = await ProblemsAsync(Environments.Production, new()
        {
            ["Cluster:PostgreSql"] = UnreachablePostgreSql,
            ["Privacy:PhoneKeySecret"] = "a-secret-of-our-own",
        });

        Assert.StartsWith("Api:Keys: no API keys are configured", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductionOnPostgreSqlRefusesTheDevelopmentPhoneKeySecret()
    {
        var lines = await ProblemsAsync(Environments.Production, new(Keys) { ["Cluster:PostgreSql"] = UnreachablePostgreSql });

        Assert.StartsWith("Privacy:PhoneKeySecret: is the development value", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductionOnPostgreSqlRefusesTheDevelopmentSecretSetExplicitly()
    {
        var lines = await ProblemsAsync(Environments.Production, new(Keys)
        {
            ["Cluster:PostgreSql"] = UnreachablePostgreSql,
            ["Privacy:PhoneKeySecret"] = PhoneKeyer.DevelopmentSecret,
        });

        Assert.StartsWith("Privacy:PhoneKeySecret:", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadTracingSettingStopsStartUpNamingIt()
    {
        var lines = await ProblemsAsync(Environments.Development, new()
        {
            ["Telemetry:Tracing:OtlpEndpoint"] = "ftp://127.0.0.1:4317",
            ["Telemetry:Tracing:OtlpProtocol"] = "carrier-pigeon",
            ["Telemetry:Tracing:SampleRatio"] = "1.5",
        });

        Assert.Equal(
            ["Telemetry:Tracing:OtlpEndpoint: must be an absolute http or https address", "Telemetry:Tracing:OtlpProtocol: must be grpc or http/protobuf",
                "Telemetry:Tracing:SampleRatio: must be from 0 to 1"],
            lines);
    }

    [Fact]
    public async Task AnAccountWithoutARegisteredSenderStopsStartUp()
    {
        var lines = await ProblemsAsync(Environments.Development, new() { ["Dispatch:Account"] = "nobody" });

        Assert.Equal("Dispatch:Account: no SMS sender named 'nobody' (registered: simulated)", Assert.Single(lines));
    }

    [Fact]
    public async Task ASecondaryAccountWithoutARegisteredSenderStopsStartUp()
    {
        var lines = await ProblemsAsync(Environments.Development, new() { ["Dispatch:SecondaryAccount"] = "backup" });

        Assert.Equal("Dispatch:SecondaryAccount: no SMS sender named 'backup' (registered: simulated)", Assert.Single(lines));
    }

    [Fact]
    public async Task EveryInvalidSettingIsOneLineNamingIt()
    {
        var lines = await ProblemsAsync(Environments.Staging, new()
        {
            ["Cluster:PostgreSql"] = UnreachablePostgreSql,
            ["Dispatch:Account"] = "nobody",
            ["Dispatch:Dispatchers"] = "0",
            ["Dashboard:Path"] = "dashboard",
            ["Api:RequestsPerSecondPerKey"] = "0",
            ["Api:Limits:BodyGracePeriod"] = "00:00:01",
            ["Calendars:WarnDaysBeforeEnd"] = "0",
        });

        string[] settings =
        [
            "Dispatch:Account:", "Dispatch:Dispatchers:", "Dashboard:Path:", "Api:RequestsPerSecondPerKey:", "Api:Keys:",
            "Privacy:PhoneKeySecret:", "Api:Limits:BodyGracePeriod:", "Calendars:WarnDaysBeforeEnd:",
        ];
        Assert.True(settings.Length == lines.Count, string.Join(Environment.NewLine, lines));
        Assert.All(settings, setting => Assert.Single(lines, line => line.StartsWith(setting, StringComparison.Ordinal)));
    }

    /// <summary>Development, or no PostgreSQL, keeps the conveniences: only PostgreSQL outside Development needs its own secrets.</summary>
    [Theory]
    [InlineData("Development", true, false)]
    [InlineData("Production", false, false)]
    [InlineData("Production", true, true)]
    [InlineData("Staging", true, true)]
    public void OwnSecretsAreRequiredOnlyOutsideDevelopmentOnPostgreSql(string environment, bool postgreSql, bool required)
    {
        var host = new HostEnvironment(environment);
        var cluster = new ClusterSettings { PostgreSql = postgreSql ? UnreachablePostgreSql : null };

        var keys = new ProductionSecrets.ApiKeysRule(host, cluster, new TemporaryApiKey("dev-key")).Validate(null, new ApiOptions());
        var secret = new ProductionSecrets.PhoneKeySecretRule(host, cluster).Validate(null, new PrivacyOptions());

        Assert.Equal(required, keys.Failed);
        Assert.Equal(required, secret.Failed);
    }

    /// <summary>The problem lines of a start-up that must fail (the indented lines after "Invalid configuration:").</summary>
    private static async Task<IReadOnlyList<string>> ProblemsAsync(string environment, Dictionary<string, string?> settings)
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceHost.StartAsync(settings, environment: environment));
        var lines = failure.Message.Split(Environment.NewLine);
        Assert.Equal("Invalid configuration:", lines[0]);
        Assert.All(lines.Skip(1), line => Assert.StartsWith("  ", line, StringComparison.Ordinal));
        return [.. lines.Skip(1).Select(l => l.Trim())];
    }

    private sealed class HostEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
