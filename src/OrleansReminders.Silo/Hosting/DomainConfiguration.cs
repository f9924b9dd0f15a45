using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Configuration;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Tiering;

namespace OrleansReminders.Silo.Hosting;

/// <summary>
/// Loads the product's rules at start-up: the strategy document (ladders, escalation, contact policy)
/// from <c>Strategy:Path</c> or the shipped default, the service setting <c>ContactPolicy:OnUncoveredDate</c>
/// (which wins over the document's <c>contactPolicy.onUncoveredDate</c>), the tiering weights from the
/// <c>Tiering</c> section and the holiday calendars (<see cref="CalendarLoading"/>), one set for the whole
/// silo. Anything invalid stops start-up with one line per problem, each naming its path.
/// </summary>
internal static class DomainConfiguration
{
    public const string StrategyPathKey = "Strategy:Path";
    public const string OnUncoveredDateKey = "ContactPolicy:OnUncoveredDate";

    public static WebApplicationBuilder AddDomainConfiguration(this WebApplicationBuilder builder)
    {
        var (configuration, tiering) = Load(builder.Configuration, builder.Environment.ContentRootPath);
        var calendars = CalendarLoading.Load(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(configuration);
        builder.Services.AddSingleton(configuration.Strategy);
        builder.Services.AddSingleton(tiering);
        builder.Services.AddSingleton(calendars);
        builder.Services.AddSingleton(new ContactPolicy(configuration.ContactPolicy, calendars));
        return builder;
    }

    /// <summary>Reads and validates; throws <see cref="InvalidOperationException"/> listing every problem.</summary>
    public static (CollectionConfiguration Configuration, TieringOptions Tiering) Load(IConfiguration configuration, string contentRoot)
    {
        var problems = new List<string>();
        var configured = configuration[StrategyPathKey];
        var source = "the shipped default strategy";
        var collection = CollectionConfiguration.Default;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = Path.GetFullPath(configured, contentRoot);
            source = path;
            if (!File.Exists(path))
            {
                problems.Add($"{StrategyPathKey}: file {path} does not exist");
            }
            else
            {
                collection = Collect(problems, () => CollectionConfiguration.Parse(File.ReadAllText(path)), collection);
            }
        }

        if (configuration[OnUncoveredDateKey] is { } uncovered)
        {
            if (ContactPolicySettings.TryParseUncoveredDate(uncovered, out var action))
            {
                collection = collection with { ContactPolicy = collection.ContactPolicy with { OnUncoveredDate = action } };
            }
            else
            {
                problems.Add($"{OnUncoveredDateKey}: must be Hold or Allow, not \"{uncovered}\"");
            }
        }

        var tiering = configuration.GetSection(TieringOptions.SectionName).Get<TieringOptions>() ?? new TieringOptions();
        tiering = Collect(problems, () => tiering.EnsureValid(TieringOptions.SectionName), tiering);

        return problems.Count == 0
            ? (collection, tiering)
            : throw new InvalidOperationException(
                $"Invalid configuration ({source}):" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)));
    }

    private static T Collect<T>(List<string> problems, Func<T> read, T fallback)
    {
        try
        {
            return read();
        }
        catch (DomainValidationException invalid)
        {
            problems.AddRange(invalid.Errors.Select(e => e.ToString()));
            return fallback;
        }
    }
}
