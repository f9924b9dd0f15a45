namespace OrleansReminders.Contracts.Errors;

/// <summary>
/// Storage or another piece of infrastructure could not be reached; the call had no effect and may be retried.
/// Grain calls throw this instead of the provider's own exception (an Npgsql exception, a socket error), which
/// another silo or a client could not deserialize; the API answers it with 503 and Retry-After.
/// </summary>
[GenerateSerializer, Alias("OrleansReminders.ServiceUnavailableException")]
public sealed class ServiceUnavailableException : Exception
{
    public ServiceUnavailableException()
    {
    }

    public ServiceUnavailableException(string message)
        : base(message)
    {
    }

    public ServiceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
