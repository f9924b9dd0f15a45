using Microsoft.Extensions.Configuration;
using OrleansReminders.Silo.Hosting;

namespace OrleansReminders.Silo.Tests.Hosting;

/// <summary>The README's <c>Api:Limits</c> settings reach the limits the API and the grains check.</summary>
public sealed class InputLimitsConfigurationTests
{
    [Fact]
    public void SettingsReplaceTheirDefaultsAndTheRestStay()
    {
        var limits = RequestLimitsHosting.ReadInputLimits(Configuration(new()
        {
            ["Api:Limits:MaxDebtsPerBorrower"] = "500",
            ["Api:Limits:MaxAmountByCurrency:CNY"] = "500",
            ["Api:Limits:MaxAmountByCurrency:IDR"] = "2000000000",
        }));

        Assert.Equal(500, limits.MaxDebtsPerBorrower);
        Assert.Equal(500m, limits.MaxAmountFor("CNY"));
        Assert.Equal(2_000_000_000m, limits.MaxAmountFor("IDR"));
        Assert.Equal(1_000_000m, limits.MaxAmountFor("USD")); // the other shipped per-currency maximums stay
        Assert.Equal(200, limits.MaxNameLength);
    }

    [Fact]
    public void NoSettingsMeanTheDefaults() =>
        Assert.Equal(200, RequestLimitsHosting.ReadInputLimits(Configuration([])).MaxDebtsPerBorrower);

    [Fact]
    public void ASettingThatCannotWorkStopsStartUpNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RequestLimitsHosting.ReadInputLimits(Configuration(new()
        {
            ["Api:Limits:MaxDebtsPerBorrower"] = "0",
            ["Api:Limits:MaxAmountByCurrency:ABC"] = "10",
        })));

        Assert.Contains("Api:Limits:MaxDebtsPerBorrower", error.Message, StringComparison.Ordinal);
        Assert.Contains("Api:Limits:MaxAmountByCurrency:ABC", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
