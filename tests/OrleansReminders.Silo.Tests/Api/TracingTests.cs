using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace OrleansReminders.Silo.Tests.Api;

/// <summary>
/// With tracing on, one request is one trace from the HTTP layer through the grain call to the PostgreSQL commands
/// it runs, and no span attribute carries personal data. On the real PostgreSQL of tests/run.sh (ORLEANSREMINDERS_PG):
/// the database spans are the point, so a missing connection string fails the test.
/// </summary>
public sealed class TracingTests(TracingTests.Fixture fixture) : IClassFixture<TracingTests.Fixture>
{
    private const string Phone = "+8613812345678";
    private const string Name = "Zhang Wei Tracing";

    [Fact]
    public async Task AnUpsertIsOneTraceFromHttpThroughTheGrainToTheDatabaseWithoutPersonalData()
    {
        var id = "trace-" + Guid.NewGuid().ToString("N")[..12];
        var response = await fixture.SendAsync(HttpMethod.Put, "/borrowers/" + id, "ingest-key", new
        {
            phone = Phone, name = Name, locale = "zh-CN", timeZones = new[] { "Asia/Shanghai" }, region = "CN",
            debts = new[] { new { debtId = "loan-1", amountDue = 1500m, currency = "CNY", dueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10) } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var trace = await fixture.TraceOfAsync(HttpMethod.Put, "/borrowers/" + id);

        var http = Assert.Single(trace, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server);
        Assert.Null(http.ParentId); // the request started the trace
        AssertGrainCall(trace, "IBorrowerGrain/UpsertAsync");
        Assert.Contains(trace, s => s.Source.Name == "Npgsql" && s.Kind == ActivityKind.Client);
        Assert.All(trace, s => Assert.Equal(http.TraceId, s.TraceId));
        AssertNoPersonalData(trace);
    }

    [Fact]
    public async Task AStatusReadThatAsksTheGrainIsOneTraceWithItsGrainCall()
    {
        var id = "trace-" + Guid.NewGuid().ToString("N")[..12];
        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Put, "/borrowers/" + id, "ingest-key", ApiHostFixture.ValidBorrower(Phone))).StatusCode);

        var response = await fixture.SendAsync(HttpMethod.Get, "/borrowers/" + id, "reader-key");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var trace = await fixture.TraceOfAsync(HttpMethod.Get, "/borrowers/" + id);

        var http = Assert.Single(trace, s => s.Source.Name == "Microsoft.AspNetCore");
        AssertGrainCall(trace, "IBorrowerGrain/GetStatusAsync");
        Assert.All(trace, s => Assert.Equal(http.TraceId, s.TraceId));
        AssertNoPersonalData(trace);
    }

    [Fact]
    public async Task OrleansBackgroundWorkAndDatabasePollsStartNoTrace()
    {
        var id = "trace-" + Guid.NewGuid().ToString("N")[..12];
        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Put, "/borrowers/" + id, "ingest-key", ApiHostFixture.ValidBorrower(Phone))).StatusCode);
        await fixture.TraceOfAsync(HttpMethod.Put, "/borrowers/" + id);

        // The silo has been up for seconds: membership, grain timers and table polls have run, with spans of their own
        // only inside a request's trace.
        var roots = fixture.All().Where(s => s.Parent is null && s.ParentSpanId == default).ToList();
        Assert.NotEmpty(roots);
        Assert.All(roots, root => Assert.Equal("Microsoft.AspNetCore.Hosting.HttpRequestIn", root.OperationName));
    }

    /// <summary>The grain's side of the call (Orleans' server span) is in the trace.</summary>
    private static void AssertGrainCall(IReadOnlyList<Activity> trace, string method) =>
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans.", StringComparison.Ordinal) && s.Kind == ActivityKind.Server
            && s.DisplayName.EndsWith(method, StringComparison.Ordinal));

    private static void AssertNoPersonalData(IReadOnlyList<Activity> trace)
    {
        foreach (var span in trace)
        {
            foreach (var (key, value) in span.TagObjects)
            {
                var text = value?.ToString() ?? "";
                Assert.False(text.Contains("13812345678", StringComparison.Ordinal), $"{span.DisplayName}: {key} carries the phone number");
                Assert.False(text.Contains("Zhang", StringComparison.Ordinal), $"{span.DisplayName}: {key} carries the name");
            }
        }
    }

    /// <summary>The service on PostgreSQL with tracing on (no exporter) and the spans kept in memory.</summary>
    public sealed class Fixture : ApiHostFixture
    {
        private readonly SpanLog _spans = new();

        internal override Task<ServiceHost> StartAsync()
        {
            var postgreSql = Environment.GetEnvironmentVariable("ORLEANSREMINDERS_PG") is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException("ORLEANSREMINDERS_PG is not set: run the suite with `bash tests/run.sh`, which starts a PostgreSQL.");
            var settings = Settings();
            settings["Cluster:PostgreSql"] = postgreSql;
            settings["Telemetry:Tracing:Enabled"] = "true";
            return ServiceHost.StartAsync(
                settings,
                configure: builder => builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans)));
        }

        /// <summary>Every span exported so far.</summary>
        public Activity[] All() => _spans.Snapshot();

        /// <summary>
        /// Every span of the trace the request to <paramref name="path"/> started. The server span ends just after the
        /// client has its answer, so it is waited for (at most 10 s).
        /// </summary>
        public async Task<IReadOnlyList<Activity>> TraceOfAsync(HttpMethod method, string path)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                var spans = _spans.Snapshot();
                if (spans.FirstOrDefault(s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server
                    && Equals(s.GetTagItem("url.path"), path) && Equals(s.GetTagItem("http.request.method"), method.Method)) is { } server)
                {
                    return [.. spans.Where(s => s.TraceId == server.TraceId)];
                }

                Assert.True(DateTime.UtcNow < deadline, $"no server span for {method} {path}");
                await Task.Delay(50);
            }
        }
    }

    /// <summary>The exporter's collection: it adds from export threads while a test reads.</summary>
    private sealed class SpanLog : System.Collections.ObjectModel.Collection<Activity>
    {
        private readonly Lock _gate = new();

        public Activity[] Snapshot()
        {
            lock (_gate)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (_gate)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
