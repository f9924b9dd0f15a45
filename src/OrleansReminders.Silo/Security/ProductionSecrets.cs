using Microsoft.Extensions.Options;
using OrleansReminders.Grains.Borrowers;
using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Silo.Security;

/// <summary>
/// A deployment that keeps data (PostgreSQL configured) outside Development needs its own secrets: configured
/// API keys (not the temporary key made for the run) and its own <c>Privacy:PhoneKeySecret</c>. The embedded
/// default and Development keep their conveniences.
/// </summary>
internal static class ProductionSecrets
{
    public static bool Required(IHostEnvironment environment, ClusterSettings cluster) =>
        !environment.IsDevelopment() && cluster.UsesPostgreSql;

    private static string Why(IHostEnvironment environment) =>
        $"required in the {environment.EnvironmentName} environment with PostgreSQL (Cluster:PostgreSql or ORLEANSREMINDERS_PG)";

    /// <summary>Configured API keys.</summary>
    internal sealed class ApiKeysRule(IHostEnvironment environment, ClusterSettings cluster, TemporaryApiKey temporary)
        : IValidateOptions<ApiOptions>
    {
        public ValidateOptionsResult Validate(string? name, ApiOptions options) =>
            Required(environment, cluster) && temporary.Key is not null
                ? ValidateOptionsResult.Fail($"{ApiOptions.SectionName}:Keys: no API keys are configured; at least one is {Why(environment)}")
                : ValidateOptionsResult.Success;
    }

    /// <summary>A phone-key secret of the deployment's own.</summary>
    internal sealed class PhoneKeySecretRule(IHostEnvironment environment, ClusterSettings cluster) : IValidateOptions<PrivacyOptions>
    {
        public ValidateOptionsResult Validate(string? name, PrivacyOptions options) =>
            Required(environment, cluster) && options.PhoneKeySecret == PhoneKeyer.DevelopmentSecret
                ? ValidateOptionsResult.Fail($"{PrivacyOptions.SectionName}:PhoneKeySecret: is the development value; a secret of your own is {Why(environment)}")
                : ValidateOptionsResult.Success;
    }
}
