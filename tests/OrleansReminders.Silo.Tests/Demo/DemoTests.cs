using Microsoft.Extensions.DependencyInjection;
using OrleansReminders.Silo.Demo;

namespace OrleansReminders.Silo.Tests.Demo;

public sealed class DemoTests
{
    /// <summary>A small demo on the real host: imported, run through the ladder on the scaled clock, reported.</summary>
    [Fact]
    public async Task ASmallPortfolioRunsThroughTheLadderAndEndsWithAFunnel()
    {
        await using var host = await ServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:Borrowers"] = "60",
            ["Demo:BusinessDays"] = "8",
            ["Demo:RealSeconds"] = "10",
            // The demo runs from today on the real clock; its CN and IN borrowers would be held once the shipped
            // calendars end (2026-12-31). This test is about the demo's mechanics, so uncovered dates are allowed.
            ["ContactPolicy:OnUncoveredDate"] = "Allow",
        });
        var runner = host.App.Services.GetRequiredService<DemoRunner>();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (runner.Report is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var report = Assert.IsAssignableFrom<IReadOnlyList<Domain.Reports.FunnelRow>>(runner.Report);
        Assert.NotEmpty(report);
        Assert.True(report.Sum(r => r.Sent) >= 30, DemoRunner.Render(report, new DemoOptions { Borrowers = 60, BusinessDays = 8 }));
        Assert.True(report.Sum(r => r.Delivered) > 0);
        // The report adds up: delivered ≤ sent, contacted ≤ sent, replied/opted out/paid ≤ contacted
        // (each borrower once per group), conversion = paid / contacted.
        Assert.All(report, r =>
        {
            Assert.InRange(r.Delivered, 0, r.Sent);
            Assert.InRange(r.Contacted, 1, r.Sent);
            Assert.InRange(r.Paid, 0, r.Contacted);
            Assert.InRange(r.OptedOut, 0, r.Replied);
            Assert.Equal((double)r.Paid / r.Contacted, r.Conversion, 9);
        });
    }

    [Fact]
    public void TheDemoSwitchBecomesASetting() =>
        Assert.Equal(["--Demo:Enabled=true", "--Urls", "x"], DemoOptions.RewriteArguments(["--demo", "--Urls", "x"]));
}
