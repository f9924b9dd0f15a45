using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OrleansReminders.Grains.Hosting;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Demo;

/// <summary>Where the service can be reached after the demo, with which key, and whether its data outlives it.</summary>
public sealed class DemoEnvironment(IServer server, TemporaryApiKey temporaryKey, ClusterSettings cluster)
{
    /// <summary>This run's temporary admin key; null when keys are configured (<c>Api:Keys</c>).</summary>
    public string? ApiKey => temporaryKey.Key;

    /// <summary>Whether the borrowers are gone when the service stops (the embedded in-memory default).</summary>
    public bool InMemory => !cluster.UsesPostgreSql;

    /// <summary>The first address the server listens on (http preferred), with a wildcard host made a loopback one.</summary>
    public string ApiAddress
    {
        get
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault();
            if (address is null || !Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                return address ?? "http://127.0.0.1:5080";
            }

            var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
            return new UriBuilder(uri) { Host = host }.Uri.GetLeftPart(UriPartial.Authority);
        }
    }
}
