using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansReminders.Silo.Tests.Api;

/// <summary>With an OTLP endpoint set, spans leave over OTLP: here to a collector stub on 127.0.0.1 (HTTP/protobuf).</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task WithAnEndpointSetARequestsSpansArePostedToTheCollector()
    {
        var received = new TaskCompletionSource<(string? ContentType, long Length)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = collectorBuilder.Build();
        collector.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.TrySetResult((request.ContentType, body.Length));
            return Results.Ok();
        });
        await collector.StartAsync();
        var collectorAddress = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        await using var host = await ServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["Telemetry:Tracing:OtlpEndpoint"] = collectorAddress + "/v1/traces",
            ["Telemetry:Tracing:OtlpProtocol"] = "http/protobuf",
        });
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync(host.BaseAddress)).StatusCode);

        // The exporter sends in batches, every 5 s by default.
        var (contentType, length) = await received.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("application/x-protobuf", contentType);
        Assert.True(length > 0);
    }
}
