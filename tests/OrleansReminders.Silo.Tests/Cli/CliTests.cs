using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Silo.Security;
using Spectre.Console;

namespace OrleansReminders.Silo.Tests.Cli;

/// <summary>The ops CLI against the real service on 127.0.0.1: output, exit codes, clear messages.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private ServiceHost _host = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansreminders-cli-").FullName;

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync(new Dictionary<string, string?>
    {
        ["Api:Keys:0:Name"] = "ops-tool", ["Api:Keys:0:Sha256"] = ApiKeys.Hash("cli-key"), ["Api:Keys:0:Roles:0"] = "admin",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ImportStatusPauseAndReportWorkAndABadLineIsReported()
    {
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(5).ToString("yyyy-MM-dd");
        var file = Path.Combine(_folder, "borrowers.ndjson");
        await File.WriteAllLinesAsync(file,
        [
            $$"""{"id":"cli-1","phone":"+8613912345678","locale":"zh-CN","timeZones":["Asia/Shanghai"],"region":"CN","debts":[{"debtId":"l1","amountDue":100,"currency":"CNY","dueDate":"{{due}}"}]}""",
            """{"id":"cli-2","phone":"12"}""",
        ]);

        var (import, importOut) = await RunAsync("import", file);
        var (status, statusOut) = await RunAsync("status", "cli-1");
        var (pause, pauseOut) = await RunAsync("pause", "cli-1", "--reason", "dispute");
        var (report, reportOut) = await RunAsync("report", "--from", "2026-01-01", "--to", "2027-01-01");

        Assert.Equal(1, import);
        Assert.Contains("1 imported", importOut, StringComparison.Ordinal);
        Assert.Contains("locale: is required", importOut, StringComparison.Ordinal);
        Assert.Equal(0, status);
        Assert.Contains("cli-1", statusOut, StringComparison.Ordinal);
        Assert.Equal((0, true), (pause, pauseOut.Contains("paused cli-1", StringComparison.Ordinal)));
        Assert.Equal(0, report);
        Assert.Contains("conversion", reportOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportOfACsvFileSendsItAsCsvInChunksThatKeepABorrowersRowsAndReportFileLines()
    {
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(5).ToString("yyyy-MM-dd");
        var rows = new List<string> { "id,phone,locale,timeZones,region,debtId,amountDue,currency,dueDate,name" };
        var line = 1;
        var badLine = 0;
        void Add(string row)
        {
            rows.Add(row);
            line += 1 + row.Count(c => c == '\n');
        }

        for (var i = 1; i <= 600; i++)
        {
            var name = i == 300 ? "\"Wang, \"\"Lily\"\"\nRoom 2\"" : "";
            Add($"cli-{i},+86139{i:D8},zh-CN,Asia/Shanghai,CN,a{i},100,CNY,{due},{name}");
            if (i == 400)
            {
                badLine = line + 1;
            }

            // Borrower 250 has three rows, the last ones past the 500th row: they must go in the same request.
            foreach (var debt in i == 250 ? new[] { "b", "c" } : ["b"])
            {
                Add($"cli-{i},,,,,{debt}{i},{(i == 400 ? "abc" : "50")},CNY,{due},");
            }
        }

        Add($"cli-1,+8613900000001,zh-CN,Asia/Shanghai,CN,z1,999,CNY,{due},");
        var file = Path.Combine(_folder, "borrowers.csv");
        await File.WriteAllTextAsync(file, string.Join("\r\n", rows) + "\r\n");

        var (import, output) = await RunAsync("import", file);

        Assert.Equal(1, import);
        Assert.Contains("599 imported, 2 rejected", output, StringComparison.Ordinal);
        Assert.Matches($@"\b{badLine}\b.*cli-400.*amountDue: is not a number", output);
        Assert.Matches($@"\b{line}\b.*cli-1\b.*id: this borrower already had rows from line 2", output);
        Assert.Equal(200m, (await _host.Grains.GetGrain<IBorrowerGrain>("cli-250").GetStatusAsync())?.Outstanding);
        Assert.Equal(150m, (await _host.Grains.GetGrain<IBorrowerGrain>("cli-1").GetStatusAsync())?.Outstanding);
        Assert.Equal(150m, (await _host.Grains.GetGrain<IBorrowerGrain>("cli-600").GetStatusAsync())?.Outstanding);
        Assert.Null(await _host.Grains.GetGrain<IBorrowerGrain>("cli-400").GetStatusAsync());
    }

    [Fact]
    public async Task EveryFailureHasItsExitCodeAndSaysWhatToDo()
    {
        var (unknown, unknownOut) = await RunAsync("status", "nobody");
        var (badKey, badKeyOut) = await RunAsync("status", "cli-1", "--key", "wrong");
        var (down, downOut) = await RunAsync("status", "cli-1", "--url", "http://127.0.0.1:1");
        var (usage, usageOut) = await RunAsync("reassign", "cli-1");
        var (help, helpOut) = await RunAsync("--help");

        Assert.Equal((1, true), (unknown, unknownOut.Contains("no borrower nobody", StringComparison.Ordinal)));
        Assert.Equal((4, true), (badKey, badKeyOut.Contains("API key was refused", StringComparison.Ordinal)));
        Assert.Equal((3, true), (down, downOut.Contains("cannot reach", StringComparison.Ordinal)));
        Assert.Equal((2, true), (usage, usageOut.Contains("--level", StringComparison.Ordinal)));
        Assert.Equal((0, true), (help, helpOut.Contains("import", StringComparison.Ordinal)));
        Assert.DoesNotContain("cli-key", helpOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplateLintRunsLocallyAndFailsOnErrors()
    {
        var good = Path.Combine(_folder, "good.txt");
        var bad = Path.Combine(_folder, "bad.txt");
        await File.WriteAllTextAsync(good, "Hello {{name}}, {{amount}} is due on {{dueDate}}. Reply STOP to opt out.");
        await File.WriteAllTextAsync(bad, "Hello {{nmae}}, pay now {{amountDue");

        var (ok, _) = await RunAsync("templates", "lint", good);
        var (failed, failedOut) = await RunAsync("templates", "lint", bad);

        Assert.Equal(0, ok);
        Assert.Equal(1, failed);
        Assert.Contains("placeholder", failedOut, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        var withDefaults = args.Contains("--url") || args.Contains("--help") ? args : [.. args, "--url", _host.BaseAddress.ToString()];
        withDefaults = withDefaults.Contains("--key") || args.Contains("--help") ? withDefaults : [.. withDefaults, "--key", "cli-key"];
        var code = await OrleansReminders.Cli.Cli.RunAsync(withDefaults, console);
        return (code, output.ToString());
    }
}
