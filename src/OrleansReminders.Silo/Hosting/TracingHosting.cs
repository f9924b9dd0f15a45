using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OrleansReminders.Silo.Hosting;

/// <summary>Settings of <c>Telemetry:Tracing</c>. Tracing is off unless enabled or an OTLP endpoint is set.</summary>
internal sealed class TracingOptions
{
    public const string Section = "Telemetry:Tracing";

    /// <summary>Records traces even without an exporter (a test or a debugger listens); an endpoint turns this on too.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where spans go over OTLP, e.g. <c>http://127.0.0.1:4317</c> (gRPC) or <c>http://127.0.0.1:4318/v1/traces</c> (HTTP).</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (the default) or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>The share of traces kept, from 0 to 1; a trace started by a caller follows the caller's decision.</summary>
    public double SampleRatio { get; set; } = 1.0;

    public bool On => Enabled || OtlpEndpoint is not null;

    public IEnumerable<string> Problems()
    {
        if (OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            yield return $"{Section}:OtlpEndpoint: must be an absolute http or https address";
        }

        if (OtlpProtocol is not ("grpc" or "http/protobuf"))
        {
            yield return $"{Section}:OtlpProtocol: must be grpc or http/protobuf";
        }

        if (SampleRatio is < 0 or > 1 || double.IsNaN(SampleRatio))
        {
            yield return $"{Section}:SampleRatio: must be from 0 to 1";
        }
    }
}

/// <summary>
/// OpenTelemetry tracing, off by default: one trace per request from ASP.NET Core through the Orleans grain calls it
/// makes (Orleans' activity propagation, the application and storage sources) to the PostgreSQL commands they run
/// (Npgsql's source), exported over OTLP when <c>Telemetry:Tracing:OtlpEndpoint</c> is set. Span attributes carry no
/// personal data: paths and borrower ids (the lender's own keys, as in the logs), method and grain interface names,
/// SQL text with parameters only as placeholders, never a phone number, name, message or request body. Query strings
/// are redacted by the ASP.NET Core instrumentation.
/// </summary>
internal static class TracingHosting
{
    /// <summary>
    /// The sources a trace is made of. Orleans files a grain call under its runtime source when the interface's namespace
    /// starts with "Orleans", which this service's (OrleansReminders.…) do: the runtime source is needed, and
    /// <see cref="RequestRootSampler"/> keeps Orleans' own background calls from starting traces.
    /// </summary>
    public static readonly string[] Sources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage"];

    public static WebApplicationBuilder AddTracing(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TracingOptions>(TracingOptions.Section).WithRule(o => o.Problems());
        TracingOptions options;
        try
        {
            options = builder.Configuration.GetSection(TracingOptions.Section).Get<TracingOptions>() ?? new TracingOptions();
        }
        catch (InvalidOperationException)
        {
            return builder; // a value that does not convert: start-up stops on the validated options' line
        }

        if (!options.On || options.Problems().Any())
        {
            return builder; // off, or start-up stops on the problem lines
        }

        builder.UseOrleans(silo => silo.AddActivityPropagation());
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("orleansreminders"))
            .WithTracing(tracing =>
            {
                tracing
                    .SetSampler(new ParentBasedSampler(new RequestRootSampler(options.SampleRatio)))
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsNoise(context.Request.Path))
                    .AddSource(Sources)
                    .AddNpgsql();
                if (options.OtlpEndpoint is { } endpoint)
                {
                    tracing.AddOtlpExporter(o =>
                    {
                        o.Endpoint = endpoint;
                        o.Protocol = options.OtlpProtocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    });
                }
            });
        return builder;
    }

    /// <summary>Scrapes and probes: a trace each would drown the requests worth following.</summary>
    private static bool IsNoise(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health") || path.StartsWithSegments("/dashboard");
}

/// <summary>
/// Decides for a span that would start a trace. Only these do, at the configured ratio: an HTTP request, a reminder
/// tick, and a call to a borrower or dispatcher grain made outside any trace (a dispatcher reporting a send). Orleans'
/// background calls (membership, grain timers, the dashboard) and database commands outside a request (table polls,
/// history batches) start none: they would drown the requests worth following.
/// </summary>
internal sealed class RequestRootSampler(double ratio) : Sampler
{
    /// <summary>The activity ASP.NET Core starts for each request.</summary>
    public const string HttpRequest = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    private static readonly string[] GrainCalls = ["IRemindable/ReceiveReminder", "IBorrowerGrain/", "IDispatcherGrain/"];

    private readonly TraceIdRatioBasedSampler _ratio = new(ratio);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        StartsATrace(samplingParameters.Name) ? _ratio.ShouldSample(samplingParameters) : new SamplingResult(SamplingDecision.Drop);

    private static bool StartsATrace(string name) =>
        name == HttpRequest || GrainCalls.Any(call => name.StartsWith(call, StringComparison.Ordinal));
}
