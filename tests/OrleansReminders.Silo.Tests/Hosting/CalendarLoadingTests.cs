using Microsoft.Extensions.Configuration;
using NodaTime;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Silo.Hosting;

namespace OrleansReminders.Silo.Tests.Hosting;

/// <summary>Calendars from an operator's folder, and <c>ContactPolicy:OnUncoveredDate</c>, read at start-up.</summary>
public sealed class CalendarLoadingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orleansreminders-calendar-load-").FullName;

    public CalendarLoadingTests() => Directory.CreateDirectory(Folder);

    private string Folder => Path.Combine(_root, "calendars");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void WithoutAFolderTheShippedCalendarsAreLoaded()
    {
        var calendars = CalendarLoading.Load(Config(), _root);

        Assert.Equal(["CN", "IN", "US"], calendars.Calendars.Select(c => c.Region).Order().ToArray());
    }

    [Fact]
    public void AValidFolderFileExtendsCoverage()
    {
        File.WriteAllText(Path.Combine(Folder, "holidays.IN.json"), """
            { "region": "IN", "years": [2027], "source": "test fixture", "holidays": [ { "name": "Test day", "date": "2027-01-26" } ] }
            """);

        var india = CalendarLoading.Load(Config(("Calendars:Folder", "calendars")), _root).For("IN")!;

        Assert.Equal((new LocalDate(2026, 1, 1), new LocalDate(2027, 12, 31)), (india.CoverageStart, india.CoverageEnd!.Value));
        Assert.Equal("Test day", india.HolidayName(new LocalDate(2027, 1, 26)));
        Assert.Equal("Republic Day", india.HolidayName(new LocalDate(2026, 1, 26)));
    }

    [Fact]
    public void ABadDateStopsStartUpNamingTheFileAndTheLine()
    {
        var file = Path.Combine(Folder, "holidays.CN.json");
        File.WriteAllText(file, """
            {
              "region": "CN",
              "years": [2027],
              "source": "test fixture",
              "holidays": [
                { "name": "New Year's Day", "date": "2027-01-01" },
                { "name": "Typo", "date": "2027-02-30" }
              ]
            }
            """);

        var error = Assert.Throws<InvalidOperationException>(() => CalendarLoading.Load(Config(("Calendars:Folder", Folder)), _root));

        Assert.Contains($"{file}: line 7: holidays[1].date: must be a date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServiceDoesNotStartWithABrokenFile()
    {
        File.WriteAllText(Path.Combine(Folder, "holidays.CN.json"), "{\n  \"region\": \"CN\",\n  \"years\": [2027,\n}\n");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ServiceHost.StartAsync(new Dictionary<string, string?> { ["Calendars:Folder"] = Folder }));

        Assert.Contains("holidays.CN.json: line 4: $: is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("holidays.CN.json", """{ "region": "IN", "years": [2027], "source": "x" }""", "does not match the file name")]
    [InlineData("holidays.CN.json", """{ "region": "CN", "years": [2029], "source": "x" }""", "neither overlaps nor adjoins")]
    [InlineData("holidays.CN.json", """{ "region": "CN", "years": [2027, 2029], "source": "x" }""", "consecutive")]
    public void AFileThatDoesNotFitIsRefused(string name, string json, string problem)
    {
        File.WriteAllText(Path.Combine(Folder, name), json);

        var error = Assert.Throws<InvalidOperationException>(() => CalendarLoading.Load(Config(("Calendars:Folder", Folder)), _root));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFolderIsAnError()
    {
        Assert.Contains("does not exist", Assert.Throws<InvalidOperationException>(() =>
            CalendarLoading.Load(Config(("Calendars:Folder", "nowhere")), _root)).Message, StringComparison.Ordinal);
    }

    /// <summary>The warning period is an option like any other: start-up validation names it (with every other problem).</summary>
    [Fact]
    public async Task ABadWarningPeriodStopsStartUp()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ServiceHost.StartAsync(new Dictionary<string, string?> { ["Calendars:WarnDaysBeforeEnd"] = "0" }));

        Assert.Contains(Environment.NewLine + "  Calendars:WarnDaysBeforeEnd: ", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, UncoveredDateAction.Hold)]
    [InlineData("Hold", UncoveredDateAction.Hold)]
    [InlineData("allow", UncoveredDateAction.Allow)]
    public void OnUncoveredDateComesFromTheServiceConfiguration(string? value, UncoveredDateAction expected)
    {
        var (configuration, _) = DomainConfiguration.Load(Config(("ContactPolicy:OnUncoveredDate", value)), _root);

        Assert.Equal(expected, configuration.ContactPolicy.OnUncoveredDate);
    }

    [Fact]
    public void TheEnvironmentVariableSetsIt()
    {
        const string prefix = "ORTEST_CALENDAR_";
        Environment.SetEnvironmentVariable(prefix + "ContactPolicy__OnUncoveredDate", "Allow");
        try
        {
            var settings = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();

            Assert.Equal(UncoveredDateAction.Allow, DomainConfiguration.Load(settings, _root).Configuration.ContactPolicy.OnUncoveredDate);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "ContactPolicy__OnUncoveredDate", null);
        }
    }

    [Fact]
    public void TheServiceSettingWinsOverTheStrategyDocument()
    {
        var assembly = typeof(ContactPolicy).Assembly;
        using var shipped = assembly.GetManifestResourceStream("OrleansReminders.Domain.Data.Strategy.strategy.default.json")!;
        var strategy = System.Text.Json.Nodes.JsonNode.Parse(shipped, documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        strategy["contactPolicy"] = new System.Text.Json.Nodes.JsonObject { ["onUncoveredDate"] = "allow" };
        File.WriteAllText(Path.Combine(_root, "strategy.json"), strategy.ToJsonString());

        var fromDocument = DomainConfiguration.Load(Config(("Strategy:Path", "strategy.json")), _root).Configuration;
        var overridden = DomainConfiguration.Load(Config(("Strategy:Path", "strategy.json"), ("ContactPolicy:OnUncoveredDate", "Hold")), _root).Configuration;

        Assert.Equal(UncoveredDateAction.Allow, fromDocument.ContactPolicy.OnUncoveredDate);
        Assert.Equal(UncoveredDateAction.Hold, overridden.ContactPolicy.OnUncoveredDate);
    }

    [Fact]
    public void AnythingButHoldOrAllowStopsStartUp()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DomainConfiguration.Load(Config(("ContactPolicy:OnUncoveredDate", "sometimes")), _root));

        Assert.Contains("ContactPolicy:OnUncoveredDate: must be Hold or Allow", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Config(params (string Key, string? Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();
}
