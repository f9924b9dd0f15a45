using Microsoft.AspNetCore.Http.HttpResults;
using OrleansReminders.Silo.Security;
using OrleansReminders.Sms.Simulated;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>
/// <c>GET|PUT /simulated/fault?mode=none|outage|throttle-storm</c> (admin): switches a fault of this silo's simulated
/// provider on or off, for fault drills (<c>deploy/local/faults.sh</c>). Each silo has its own provider: a drill
/// sets every silo. 404 when the service runs a real provider.
/// </summary>
internal static class SimulatedEndpoints
{
    /// <summary>Each fault by its name on the wire.</summary>
    private static readonly Dictionary<string, SimulatedFault> Modes = new(StringComparer.Ordinal)
    {
        ["none"] = SimulatedFault.None, ["outage"] = SimulatedFault.Outage, ["throttle-storm"] = SimulatedFault.ThrottleStorm,
    };

    public static RouteGroupBuilder MapSimulated(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/simulated").WithTags("Simulated provider").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/fault", (IServiceProvider services) => Answer(services, null)).RequireAuthorization(ApiRoles.Admin)
            .WithSummary("This silo's simulated provider: the fault switched on and what it has done.");
        group.MapPut("/fault", (string? mode, IServiceProvider services) => Answer(services, mode ?? "")).RequireAuthorization(ApiRoles.Admin)
            .WithSummary("Switches a fault of this silo's simulated provider: none, outage (every send refused as a provider error) or throttle-storm (every send throttled).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return group;
    }

    private static Results<Ok<SimulatedFaultAnswer>, ProblemHttpResult> Answer(IServiceProvider services, string? mode)
    {
        if (services.GetService<SimulatedSmsSender>() is not { } provider)
        {
            return ApiResults.Problem(StatusCodes.Status404NotFound, "provider", "this service sends through a real provider, not the simulated one");
        }

        if (mode is not null)
        {
            if (!Modes.TryGetValue(mode, out var chosen))
            {
                return ApiResults.Problem(StatusCodes.Status400BadRequest, "mode", "must be none, outage or throttle-storm");
            }

            provider.Fault = chosen;
        }

        var counters = provider.Counters;
        return TypedResults.Ok(new SimulatedFaultAnswer(Modes.First(m => m.Value == provider.Fault).Key, counters.Sent, counters.Throttled, counters.Failed));
    }
}

/// <summary>The simulated provider's fault mode on this silo and its counts since start.</summary>
public sealed record SimulatedFaultAnswer(string Mode, long Sent, long Throttled, long Failed);
