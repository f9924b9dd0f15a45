using System.ComponentModel.DataAnnotations;

namespace OrleansReminders.Grains.Hosting;

/// <summary>
/// Where the silo keeps membership, grain state and reminders. With no PostgreSQL connection string the
/// silo runs on the embedded default: localhost clustering, in-memory storage and reminders (nothing
/// survives a restart). With one, every provider uses the Orleans ADO.NET providers on PostgreSQL and the
/// schema in deploy/sql.
/// </summary>
public sealed class ClusterSettings
{
    public const string SectionName = "Cluster";

    /// <summary>Orleans ClusterId: silos with the same id form one cluster.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,100}$")]
    public string ClusterId { get; set; } = "orleansreminders";

    /// <summary>Orleans ServiceId: the key of stored state and reminders; keep it stable across deployments.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,100}$")]
    public string ServiceId { get; set; } = "orleansreminders";

    /// <summary>Npgsql connection string; null or empty selects the embedded in-memory default.</summary>
    public string? PostgreSql { get; set; }

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Address other silos reach this one at (PostgreSQL clustering only). Defaults to loopback, which is
    /// right for one machine; set the pod or host address in a real cluster.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>How long the reminder service may wait for its table at start-up before the silo fails.</summary>
    public TimeSpan ReminderInitializationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Smallest reminder period accepted (Orleans' default is one minute; a scaled clock needs less).</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Business seconds per real second. 1 (the default) is production; 43,200 runs 30 business days in a
    /// minute on the same code and the same reminders (demos, scenario runs).
    /// </summary>
    [Range(1.0, 10_000_000.0)]
    public double TimeScale { get; set; } = 1;

    /// <summary>
    /// A borrower grain (any grain) idle this long is deactivated; its state stays in storage and its
    /// reminder wakes it again. Keeps a silo's active set far below its portfolio.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "7.00:00:00")]
    public TimeSpan IdleDeactivationAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// When the process's memory use passes this share (percent) of what it may use (the container limit,
    /// or the GC heap limit when one is set), the silo deactivates its least recently used grains until it is
    /// 5 points below. 0 turns this off.
    /// </summary>
    [Range(0.0, 99.0)]
    public double ShedActivationsAbovePercent { get; set; } = 80;

    /// <summary>
    /// With <see cref="TimeScale"/> &gt; 1: the real instant at which business time equals real time; business
    /// time is then <c>origin + (now − origin) × TimeScale</c> on every silo, so silos started at different times
    /// agree. Unset on PostgreSQL, the first silo of the service stores one (table <c>service_clock</c>) and the
    /// others read it; unset on the embedded default, business time starts at the silo's start.
    /// </summary>
    public DateTimeOffset? TimeScaleOrigin { get; set; }

    /// <summary>
    /// PostgreSQL connections the whole cluster may hold. Each silo's pool is
    /// <c>ConnectionBudget / ExpectedSilos</c> (at least 2) unless the connection string sets Maximum Pool Size.
    /// The default, 80 of a default server's 100, leaves room for administration.
    /// </summary>
    [Range(2, 100_000)]
    public int ConnectionBudget { get; set; } = 80;

    /// <summary>How many silos share <see cref="ConnectionBudget"/>.</summary>
    [Range(1, 1_000)]
    public int ExpectedSilos { get; set; } = 4;

    /// <summary>
    /// How long a stop may take: the silo leaves the cluster, deactivates its grains (dispatchers hand their
    /// queues back, borrowers write what they kept) and stops. Orleans' own default is 30 s too; deployments
    /// give the process a little more (Kubernetes terminationGracePeriodSeconds 45, systemd TimeoutStopSec 45).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one grain's deactivation may take before Orleans gives up on it (Orleans' default is 30 s): a
    /// borrower's last write or a dispatcher's hand-back is bounded well inside the shutdown timeout.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool UsesPostgreSql => !string.IsNullOrWhiteSpace(PostgreSql);

    /// <summary>Each silo's pool when the connection string does not set one: the budget shared by the expected silos.</summary>
    public int DerivedPoolSize => Math.Max(2, ConnectionBudget / ExpectedSilos);
}
