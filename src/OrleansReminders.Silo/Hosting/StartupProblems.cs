using Microsoft.Extensions.Options;

namespace OrleansReminders.Silo.Hosting;

/// <summary>
/// Start-up validation with one line per problem: runs every <c>ValidateOnStart</c> options validation (the
/// framework's <see cref="IStartupValidator"/>) and, when any fails, throws one exception whose message is
/// "Invalid configuration:" followed by each failure on its own line, instead of the framework's failures
/// joined with "; " per options class.
/// </summary>
internal sealed class StartupProblems(IStartupValidator inner) : IStartupValidator
{
    /// <summary>Wraps the framework's validator (registered by the first <c>ValidateOnStart</c>); call after every registration.</summary>
    public static void Install(IServiceCollection services)
    {
        var framework = services.LastOrDefault(d => d.ServiceType == typeof(IStartupValidator) && !d.IsKeyedService);
        if (framework?.ImplementationType is not { } type)
        {
            return;
        }

        services.Remove(framework);
        services.AddTransient<IStartupValidator>(sp => new StartupProblems((IStartupValidator)ActivatorUtilities.CreateInstance(sp, type)));
    }

    public void Validate()
    {
        try
        {
            inner.Validate();
        }
        catch (Exception exception) when (Lines(exception) is { Count: > 0 } lines)
        {
            throw new InvalidOperationException(
                "Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, lines.Select(l => "  " + l)), exception);
        }
    }

    /// <summary>Every options validation failure in <paramref name="exception"/>, one per line.</summary>
    public static IReadOnlyList<string> Lines(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException all => [.. all.InnerExceptions.SelectMany(Lines)],
        _ => [],
    };
}
