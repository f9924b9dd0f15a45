using System.Data.Common;
using System.Net.Sockets;
using OrleansReminders.Contracts.Errors;

namespace OrleansReminders.Grains.Hosting;

/// <summary>
/// Translates infrastructure exceptions at the grain boundary: a grain call that fails with a database or
/// socket exception (Npgsql's among them) throws <see cref="ServiceUnavailableException"/> with the cause's type
/// and message instead, so no provider exception type has to cross a silo or reach a client (they cannot be
/// deserialized there). Registered silo-wide by <c>UseOrleansRemindersInfrastructure</c>.
/// </summary>
public sealed class InfrastructureExceptionFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (IsInfrastructure(ex))
        {
            throw new ServiceUnavailableException($"{context.InterfaceName}.{context.MethodName}: storage or infrastructure unavailable ({ex.GetType().Name}: {ex.Message})");
        }
    }

    /// <summary>A database, socket or Npgsql exception, or one wrapping such.</summary>
    public static bool IsInfrastructure(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException or SocketException || e.GetType().Namespace?.StartsWith("Npgsql", StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }
}
