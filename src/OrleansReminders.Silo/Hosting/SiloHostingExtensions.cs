using System.ComponentModel.DataAnnotations;
using Npgsql;
using OrleansReminders.Grains.Hosting;

namespace OrleansReminders.Silo.Hosting;

internal static partial class SiloHostingExtensions
{
    /// <summary>Environment variable that, like <c>Cluster:PostgreSql</c>, selects PostgreSQL.</summary>
    public const string PostgreSqlVariable = "ORLEANSREMINDERS_PG";

    public static WebApplicationBuilder AddSilo(this WebApplicationBuilder builder)
    {
        var settings = ReadClusterSettings(builder.Configuration);
        builder.Services.AddSingleton(settings);
        // A stop (SIGTERM, a Kubernetes pod's termination) has this long to hand back and write; keep the pod's
        // terminationGracePeriodSeconds and systemd's TimeoutStopSec above it (deploy/).
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        builder.UseOrleans(silo =>
        {
            silo.UseOrleansRemindersInfrastructure(settings);
            if (InKubernetes)
            {
                // Pod name, namespace and IP from the Downward API (deploy/k8s): the silo's name, and a watcher
                // that removes the pods of silos the cluster declared dead.
                silo.UseKubernetesHosting();
            }
        });
        return builder;
    }

    public static void LogStartupMode(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<ClusterSettings>();
        var logger = app.Services.GetRequiredService<ILogger<ClusterSettings>>();
        if (settings.UsesPostgreSql)
        {
            // Host, port and database only: the connection string may carry a password.
            var csb = new NpgsqlConnectionStringBuilder(settings.PostgreSql);
            LogPostgreSqlMode(logger, settings.ClusterId, csb.Host ?? "?", csb.Port, csb.Database ?? "?");
        }
        else
        {
            LogEmbeddedMode(logger, settings.ClusterId);
        }
    }

    /// <summary>Running in a Kubernetes pod that passes its name, namespace and IP (deploy/k8s/deployment.yaml).</summary>
    private static bool InKubernetes =>
        Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is not null
        && Environment.GetEnvironmentVariable("POD_NAME") is not null
        && Environment.GetEnvironmentVariable("POD_NAMESPACE") is not null
        && Environment.GetEnvironmentVariable("POD_IP") is not null;

    private static ClusterSettings ReadClusterSettings(IConfiguration configuration)
    {
        var settings = configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new ClusterSettings();
        if (!settings.UsesPostgreSql)
        {
            settings.PostgreSql = configuration[PostgreSqlVariable];
        }

        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), problems, validateAllProperties: true))
        {
            var lines = problems.Select(p => $"{ClusterSettings.SectionName}:{string.Join(",", p.MemberNames)}: {p.ErrorMessage}");
            throw new InvalidOperationException("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, lines));
        }

        if (settings.UsesPostgreSql)
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(settings.PostgreSql);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidOperationException($"Invalid configuration: {ClusterSettings.SectionName}:PostgreSql is not a valid Npgsql connection string ({ex.Message})", ex);
            }
        }

        return settings;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Cluster {ClusterId} runs on the embedded default: localhost clustering, in-memory grain storage and reminders. Nothing survives a restart; set Cluster:PostgreSql or ORLEANSREMINDERS_PG to use PostgreSQL.")]
    private static partial void LogEmbeddedMode(ILogger logger, string clusterId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Cluster {ClusterId} uses PostgreSQL at {DbHost}:{DbPort}/{Database} for clustering, grain storage and reminders.")]
    private static partial void LogPostgreSqlMode(ILogger logger, string clusterId, string dbHost, int dbPort, string database);
}
