using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OrleansReminders.Silo.Hosting;
using OrleansReminders.Silo.Security;
using OrleansReminders.Sms.Http;
using OrleansReminders.Testing;

namespace OrleansReminders.Silo.Tests.Api;

/// <summary>
/// Requests cannot hurt the service: limits checked before any grain call, and every kind of trouble mapped
/// to its status in one place (413, 408, 503 with Retry-After, 500 with a correlation id), over HTTP on 127.0.0.1.
/// </summary>
public sealed class RequestLimitsTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string TwilioToken = "limits-twilio-token";
    private const string PushSecret = "limits-push-secret";
    private ServiceHost _host = null!;
    private readonly StorageFault _storage = new();

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync(
        new Dictionary<string, string?>
        {
            ["Api:Keys:0:Name"] = "loan-system", ["Api:Keys:0:Sha256"] = ApiKeys.Hash("ingest-key"), ["Api:Keys:0:Roles:0"] = "ingest",
            ["Api:Keys:1:Name"] = "reporting", ["Api:Keys:1:Sha256"] = ApiKeys.Hash("reader-key"), ["Api:Keys:1:Roles:0"] = "reader",
            ["Api:Limits:BodyGracePeriod"] = "00:00:02",
            ["Sms:Twilio:AuthToken"] = TwilioToken,
            ["Sms:Aliyun:PushSigningSecret"] = PushSecret,
            ["Sms:Simulated:MinReceiptDelay"] = "1.00:00:00",
            ["Sms:Simulated:MaxReceiptDelay"] = "1.00:00:00",
        },
        replace: services => FaultyBorrowerStorage.Install(services, _storage));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ABodyOverItsEndpointsLimitIs413AndNothingIsStored()
    {
        var big = JsonSerializer.Serialize(Borrower(name: new string('n', 300 * 1024)), JsonSerializerOptions.Web);

        var declared = await SendAsync(HttpMethod.Put, "/borrowers/big-1", "ingest-key", new StringContent(big, Encoding.UTF8, "application/json"));
        var chunked = await SendAsync(HttpMethod.Put, "/borrowers/big-1", "ingest-key", Chunked(big, "application/json"));
        var smallEndpoint = await SendAsync(HttpMethod.Post, "/borrowers/big-1/payments", "ingest-key",
            new StringContent(JsonSerializer.Serialize(new { paymentId = new string('p', 20_000), amount = 1, currency = "CNY" }), Encoding.UTF8, "application/json"));

        Assert.Equal((413, "body"), await ProblemAsync(declared));
        Assert.Equal((413, "body"), await ProblemAsync(chunked));
        Assert.Equal((413, "body"), await ProblemAsync(smallEndpoint));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/borrowers/big-1", "reader-key")).StatusCode);
    }

    [Fact]
    public async Task ABodyThatArrivesTooSlowlyIs408()
    {
        var response = await RawAsync(
            "PUT /borrowers/slow-1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: ingest-key\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"pho",
            holdOpenFor: TimeSpan.FromSeconds(20));

        Assert.StartsWith("HTTP/1.1 408", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StorageDownIs503WithRetryAfterAndAnUnexpectedErrorIs500WithACorrelationIdAndNoStackTrace()
    {
        try
        {
            _storage.Fault = () => new StorageDownException();
            var down = await SendAsync(HttpMethod.Put, "/borrowers/fault-1", "ingest-key", Json(Borrower()));
            _storage.Fault = () => new InvalidOperationException("an internal detail the client must not see");
            var bug = await SendAsync(HttpMethod.Put, "/borrowers/fault-2", "ingest-key", Json(Borrower()));

            Assert.Equal((503, "service"), await ProblemAsync(down));
            Assert.Equal(TimeSpan.FromSeconds(5), down.Headers.RetryAfter?.Delta);
            var body = await bug.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.InternalServerError, bug.StatusCode);
            Assert.Equal(bug.Headers.GetValues("X-Correlation-Id").Single(), body.GetProperty("correlationId").GetString());
            Assert.DoesNotContain("internal detail", body.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", body.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            _storage.Fault = null;
        }
    }

    [Fact]
    public void TheMappingNamesEachKindOfTrouble()
    {
        Assert.Equal(413, ApiErrors.StatusFor(new Microsoft.AspNetCore.Http.BadHttpRequestException("too large", 413)));
        Assert.Equal(408, ApiErrors.StatusFor(new Microsoft.AspNetCore.Http.BadHttpRequestException("too slow", 408)));
        Assert.Equal(503, ApiErrors.StatusFor(new StorageDownException()));
        Assert.Equal(503, ApiErrors.StatusFor(new Orleans.Runtime.OrleansException("wrapped", new StorageDownException())));
        Assert.Equal(503, ApiErrors.StatusFor(new TimeoutException("grain call timed out")));
        Assert.Equal(503, ApiErrors.StatusFor(new Orleans.Runtime.SiloUnavailableException()));
        Assert.Equal(500, ApiErrors.StatusFor(new InvalidOperationException()));
    }

    /// <summary>
    /// Too many debts is refused before the grain is called: with every storage write failing, the answer is
    /// still the 422 (a grain that ran would have failed its write), and the stored borrower is unchanged.
    /// </summary>
    [Fact]
    public async Task TooManyDebtsAreRefusedBeforeAnyGrainCallAndTheStoredBorrowerIsUnchanged()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, "/borrowers/many-1", "ingest-key", Json(Borrower()))).StatusCode);
        var before = await (await SendAsync(HttpMethod.Get, "/borrowers/many-1", "reader-key")).Content.ReadAsStringAsync();
        HttpResponseMessage refused;
        try
        {
            _storage.Fault = () => new InvalidOperationException("the grain was called");
            refused = await SendAsync(HttpMethod.Put, "/borrowers/many-1", "ingest-key", Json(Borrower(debts: 201)));
        }
        finally
        {
            _storage.Fault = null;
        }

        var after = await (await SendAsync(HttpMethod.Get, "/borrowers/many-1", "reader-key")).Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("at most 200 debts", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    /// <summary>
    /// The largest allowed upsert goes through and reads back. Its time, against a one-debt upsert in the same
    /// run (both after a warm-up), is printed for tests/BENCHMARKS.md, never asserted.
    /// </summary>
    [Fact]
    public async Task TheMaximumAllowedDebtsAreAcceptedAndReadBack()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, "/borrowers/max-warm", "ingest-key", Json(Borrower(debts: 200)))).StatusCode);
        var one = new List<double>();
        var max = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            one.Add(await TimedPutAsync($"max-one-{i}", 1));
            max.Add(await TimedPutAsync($"max-{i}", 200));
        }

        var status = await (await SendAsync(HttpMethod.Get, "/borrowers/max-0", "reader-key")).Content.ReadFromJsonAsync<JsonElement>();

        output.WriteLine($"PUT, median of 5: 1 debt {Median(one):0.0} ms, 200 debts {Median(max):0.0} ms (ratio {Median(max) / Median(one):0.00})");
        Assert.Equal("max-0", status.GetProperty("borrowerId").GetString());
    }

    private async Task<double> TimedPutAsync(string id, int debts)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var put = await SendAsync(HttpMethod.Put, "/borrowers/" + id, "ingest-key", Json(Borrower(debts: debts)));
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return elapsed;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    [Fact]
    public async Task ImportRefusesDotIdsAndOverlongLinesAndGoesOn()
    {
        string Line(string id) => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = id, ["phone"] = "+8613812345678", ["locale"] = "zh-CN", ["timeZones"] = new[] { "Asia/Shanghai" }, ["region"] = "CN",
            ["debts"] = new[] { new { debtId = "d1", amountDue = 10m, currency = "CNY", dueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(5) } },
        });
        var ndjson = string.Join('\n', Line("."), Line(".."), "{\"id\":\"x\",\"name\":\"" + new string('n', 300 * 1024) + "\"}", Line("imp-ok-1"));

        var response = await SendAsync(HttpMethod.Post, "/borrowers/import", "ingest-key", new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"));
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((4, 1, 3), (summary.GetProperty("lines").GetInt32(), summary.GetProperty("accepted").GetInt32(), summary.GetProperty("rejected").GetInt32()));
        var errors = summary.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["id", "id", "line"], errors.Select(e => e.GetProperty("problems")[0].GetProperty("field").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/borrowers/imp-ok-1", "reader-key")).StatusCode);
    }

    /// <summary>With every grain write failing, the import still answers, each line "failed … retry it": no worker dies, the reader never waits for ever.</summary>
    [Fact]
    public async Task AnImportWhoseGrainCallsFailAnswersEveryLineAndNeverHangs()
    {
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(5).ToString("yyyy-MM-dd");
        var ndjson = string.Join('\n', Enumerable.Range(0, 600).Select(i =>
            $$"""{"id":"imp-down-{{i}}","phone":"+86139{{i:D8}}","locale":"zh-CN","timeZones":["Asia/Shanghai"],"region":"CN","debts":[{"debtId":"d1","amountDue":10,"currency":"CNY","dueDate":"{{due}}"}]}"""));
        HttpResponseMessage response;
        try
        {
            _storage.Fault = () => new StorageDownException();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.BaseAddress, "/borrowers/import"))
            {
                Content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"),
            };
            request.Headers.Add(ApiKeyAuthenticationHandler.Header, "ingest-key");
            response = await _host.Http.SendAsync(request, deadline.Token);
        }
        finally
        {
            _storage.Fault = null;
        }

        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((600, 0, 600), (summary.GetProperty("lines").GetInt32(), summary.GetProperty("accepted").GetInt32(), summary.GetProperty("rejected").GetInt32()));
        Assert.All(summary.GetProperty("errors").EnumerateArray(), e => Assert.Equal("failed", e.GetProperty("problems")[0].GetProperty("field").GetString()));
    }

    [Fact]
    public async Task UnsignedWebhooksAreRefusedBeforeTheirBodyIsRead()
    {
        // Headers that promise 60 KB, and no body at all: only a server that does not wait for it can answer.
        var twilio = await RawAsync("POST /webhooks/twilio/status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\n",
            holdOpenFor: TimeSpan.FromSeconds(10));
        var aliyun = await RawAsync("POST /webhooks/aliyun/receipts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n",
            holdOpenFor: TimeSpan.FromSeconds(10));
        var tooBig = await RawAsync("POST /webhooks/aliyun/receipts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 30000000\r\n\r\n",
            holdOpenFor: TimeSpan.FromSeconds(10));

        Assert.StartsWith("HTTP/1.1 401", twilio, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 401", aliyun, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 413", tooBig, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMalformedWebhookFormIs400()
    {
        var url = new Uri(_host.BaseAddress, "/webhooks/twilio/status");
        var wellFormedSignature = Convert.ToBase64String(new byte[20]);
        var tooManyFields = string.Join('&', Enumerable.Range(0, 300).Select(i => $"f{i}=v"));

        var crowded = await PostAsync(url, new StringContent(tooManyFields, Encoding.UTF8, "application/x-www-form-urlencoded"), wellFormedSignature);
        var noBoundary = await PostAsync(url, new StringContent("--x\r\n", Encoding.UTF8, "multipart/form-data"), wellFormedSignature);

        Assert.Equal((400, "body"), await ProblemAsync(crowded));
        Assert.Equal((400, "body"), await ProblemAsync(noBoundary));
    }

    [Fact]
    public async Task ASignedAliyunPushStillVerifiesOverTheStreamedBytes()
    {
        var body = Encoding.UTF8.GetBytes("[]");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = new AliyunStyleWebhookValidator(PushSecret, TimeProvider.System).Sign(timestamp, body);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.BaseAddress, "/webhooks/aliyun/receipts"))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
        };
        request.Headers.Add(AliyunStyleWebhookValidator.TimestampHeader, timestamp);
        request.Headers.Add(AliyunStyleWebhookValidator.SignatureHeader, signature);

        Assert.Equal(HttpStatusCode.OK, (await _host.Http.SendAsync(request)).StatusCode);
    }

    internal static object Borrower(string? name = null, int debts = 1) => new
    {
        phone = "+8613812345678", locale = "zh-CN", timeZones = new[] { "Asia/Shanghai" }, region = "CN", name,
        debts = Enumerable.Range(0, debts).Select(i => new
        {
            debtId = $"loan-{i}", amountDue = 1500m, currency = "CNY", dueDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10),
        }),
    };

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");

    private static StreamContent Chunked(string text, string contentType) =>
        new(new NonSeekableStream(Encoding.UTF8.GetBytes(text))) { Headers = { ContentType = new(contentType) } };

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_host.BaseAddress, path)) { Content = content };
        request.Headers.Add(ApiKeyAuthenticationHandler.Header, key);
        return await _host.Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostAsync(Uri url, HttpContent content, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Add(TwilioWebhookValidator.SignatureHeader, signature);
        return await _host.Http.SendAsync(request);
    }

    /// <summary>Writes raw HTTP/1.1 and reads whatever the server answers while the connection is held open.</summary>
    private async Task<string> RawAsync(string head, TimeSpan holdOpenFor)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_host.BaseAddress.Host, _host.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var timeout = new CancellationTokenSource(holdOpenFor);
        var buffer = new byte[4096];
        try
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (OperationCanceledException)
        {
            return $"no answer within {holdOpenFor}";
        }
    }

    private static async Task<(int Status, string? Field)> ProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{(int)response.StatusCode}: {text}");
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        return ((int)response.StatusCode, problem.TryGetProperty("field", out var f) ? f.GetString() : null);
    }

    /// <summary>A body of unknown length: HttpClient sends it chunked.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
