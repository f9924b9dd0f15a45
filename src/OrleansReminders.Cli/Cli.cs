using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;
using Spectre.Console;

namespace OrleansReminders.Cli;

/// <summary>
/// <c>orleansreminders</c>: status, history, reassign, pause/resume, import, report and template lint,
/// against the service's API. Exit codes: 0 done, 1 refused by the service, 2 bad usage, 3 service
/// unreachable, 4 API key refused.
/// </summary>
internal static class Cli
{
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, HttpMessageHandler? handler = null)
    {
        var url = new Option<string>("--url") { Description = "Service base URL (ORLEANSREMINDERS_URL)", Recursive = true,
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ORLEANSREMINDERS_URL") ?? "http://127.0.0.1:5080" };
        var key = new Option<string?>("--key") { Description = "API key (default: the ORLEANSREMINDERS_KEY environment variable)", Recursive = true };
        var root = new RootCommand("Operate OrleansReminders: borrowers, imports, reports, templates.") { Options = { url, key } };

        var id = new Argument<string>("id") { Description = "Borrower id" };
        var reason = new Option<string>("--reason") { Description = "Why (recorded in the audit trail)", Required = true };

        var status = new Command("status", "Show a borrower's status") { Arguments = { id } };
        status.SetAction((parse, ct) => Run(parse, console, handler, url, key, async api =>
        {
            var s = await api.GetAsync($"/borrowers/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct);
            var table = new Table().AddColumns("field", "value").HideHeaders();
            foreach (var name in new[] { "borrowerId", "tier", "riskScore", "stage", "ladderStep", "escalationLevel", "nextAction", "nextActionAt", "outstanding", "currency", "pendingMessages" })
            {
                table.AddRow(name, Markup.Escape(Text(s.GetProperty(name))));
            }

            table.AddRow("flags", Markup.Escape(string.Join(", ", s.GetProperty("flags").EnumerateArray().Select(f => f.GetString()))));
            table.AddRow("counts", Markup.Escape(s.GetProperty("counts").ToString()));
            console.Write(table);
        }));

        var limit = new Option<int>("--limit") { Description = "Events per page", DefaultValueFactory = _ => 50 };
        var history = new Command("history", "Show a borrower's history") { Arguments = { id }, Options = { limit } };
        history.SetAction((parse, ct) => Run(parse, console, handler, url, key, async api =>
        {
            var page = await api.GetAsync($"/borrowers/{Uri.EscapeDataString(parse.GetValue(id)!)}/history?limit={parse.GetValue(limit)}", ct);
            var table = new Table().AddColumns("when", "kind", "stage", "actor", "reason");
            foreach (var e in page.GetProperty("events").EnumerateArray())
            {
                table.AddRow(Markup.Escape(Text(e.GetProperty("occurredAt"))), Markup.Escape(Text(e.GetProperty("kind"))),
                    Markup.Escape(Text(e.GetProperty("stage"))), Markup.Escape(Text(e.GetProperty("actor"))), Markup.Escape(Text(e.GetProperty("reason"))));
            }

            console.Write(table);
        }));

        var level = new Option<int>("--level") { Description = "Escalation level (0 = SMS ladder)", Required = true };
        var reassign = new Command("reassign", "Move a borrower to an escalation level") { Arguments = { id }, Options = { level, reason } };
        reassign.SetAction((parse, ct) => Run(parse, console, handler, url, key, async api =>
        {
            await api.PostJsonAsync($"/borrowers/{Uri.EscapeDataString(parse.GetValue(id)!)}/escalation",
                new { level = parse.GetValue(level), reason = parse.GetValue(reason) }, ct);
            console.MarkupLine($"[green]reassigned[/] {Markup.Escape(parse.GetValue(id)!)} to level {parse.GetValue(level)}");
        }));

        Command Ops(string name, string description) => new(name, description) { Arguments = { id }, Options = { reason } };
        var pause = Ops("pause", "Pause a borrower's collection messages");
        var resume = Ops("resume", "Resume a paused borrower");
        foreach (var command in new[] { pause, resume })
        {
            command.SetAction((parse, ct) => Run(parse, console, handler, url, key, async api =>
            {
                await api.PostJsonAsync($"/borrowers/{Uri.EscapeDataString(parse.GetValue(id)!)}/{command.Name}", new { reason = parse.GetValue(reason) }, ct);
                console.MarkupLine($"[green]{command.Name}d[/] {Markup.Escape(parse.GetValue(id)!)}");
            }));
        }

        var file = new Argument<FileInfo>("file") { Description = "NDJSON file, one borrower per line with its \"id\"; or a .csv file with a header row (sent as text/csv)" };
        var import = new Command("import", "Import borrowers from an NDJSON or CSV file, with progress and an error report") { Arguments = { file } };
        import.SetAction((parse, ct) => Run(parse, console, handler, url, key, async api => await ImportAsync(api, console, parse.GetValue(file)!, ct)));

        var from = new Option<string>("--from") { Description = "Period start (ISO date)", Required = true };
        var to = new Option<string>("--to") { Description = "Period end, exclusive (ISO date)", Required = true };
        var by = new Option<string>("--by") { Description = "tier, hour or weekday", DefaultValueFactory = _ => "tier" };
        by.AcceptOnlyFromAmong("tier", "hour", "weekday");
        var report = new Command("report", "Funnel report for a period") { Options = { from, to, by } };
        report.SetAction((parse, ct) => Run(parse, console, handler, url, key, async api =>
        {
            var r = await api.GetAsync($"/reports/funnel?from={Uri.EscapeDataString(parse.GetValue(from)!)}&to={Uri.EscapeDataString(parse.GetValue(to)!)}&by={parse.GetValue(by)}", ct);
            var table = new Table().AddColumns("tier", "group", "variant", "sent", "delivered", "tasks", "contacted", "replied", "opted out", "paid", "conversion");
            var rows = r.GetProperty("rows").EnumerateArray().ToList();
            if (r.TryGetProperty("total", out var total))
            {
                rows.Add(total);
            }

            foreach (var row in rows)
            {
                table.AddRow(
                    [.. new[] { "tier", "group", "variant", "sent", "delivered", "tasks", "contacted", "replied", "optedOut", "paid" }.Select(p => Markup.Escape(Cell(row, p))),
                     row.GetProperty("conversion").GetDouble().ToString("P1", CultureInfo.InvariantCulture)]);
            }

            console.Write(table);
        }));

        var templateFile = new Argument<FileInfo>("file") { Description = "Template body (UTF-8 text)" };
        var locale = new Option<string>("--locale") { Description = "Template locale", DefaultValueFactory = _ => "en-US" };
        var maxSegments = new Option<int>("--max-segments") { Description = "Most SMS segments allowed", DefaultValueFactory = _ => 2 };
        var brand = new Option<string?>("--brand") { Description = "Required brand signature, e.g. 【ACME】" };
        var lint = new Command("lint", "Lint a template body locally (placeholders, wording, segments)") { Arguments = { templateFile }, Options = { locale, maxSegments, brand } };
        lint.SetAction((parse, _) => Task.FromResult(Lint(console, parse.GetValue(templateFile)!, parse.GetValue(locale)!, parse.GetValue(maxSegments), parse.GetValue(brand))));
        var templates = new Command("templates", "Message templates") { Subcommands = { lint } };

        root.Subcommands.Add(status);
        root.Subcommands.Add(history);
        root.Subcommands.Add(reassign);
        root.Subcommands.Add(pause);
        root.Subcommands.Add(resume);
        root.Subcommands.Add(import);
        root.Subcommands.Add(report);
        root.Subcommands.Add(templates);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                console.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
            }

            console.MarkupLine("Run with --help for usage.");
            return ExitCodes.Usage;
        }

        var output = new StringWriter();
        var result = await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        if (output.ToString() is { Length: > 0 } help)
        {
            console.Write(new Text(help));
        }

        return result;
    }

    private static async Task<int> Run(ParseResult parse, IAnsiConsole console, HttpMessageHandler? handler, Option<string> url, Option<string?> key, Func<ApiClient, Task> action)
    {
        if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseUrl))
        {
            console.MarkupLine("[red]error:[/] --url must be an absolute URL such as http://127.0.0.1:5080");
            return ExitCodes.Usage;
        }

        using var http = handler is null ? new HttpClient { Timeout = TimeSpan.FromSeconds(30) } : new HttpClient(handler, disposeHandler: false);
        try
        {
            await action(new ApiClient(http, baseUrl, parse.GetValue(key) ?? Environment.GetEnvironmentVariable("ORLEANSREMINDERS_KEY")));
            return ExitCodes.Ok;
        }
        catch (CliException ex)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return ex.ExitCode;
        }
    }

    private static async Task ImportAsync(ApiClient api, IAnsiConsole console, FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new CliException(ExitCodes.Usage, $"no file {file.FullName}");
        }

        var import = await ImportFiles.OpenAsync(file, cancellationToken);
        var accepted = 0;
        var rejected = 0;
        var errors = new List<(int Line, string? Id, string Problems)>();
        await console.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask($"importing {Markup.Escape(file.Name)}", maxValue: import.Size);
            await foreach (var chunk in import.Chunks.WithCancellation(cancellationToken))
            {
                rejected += chunk.Refused.Count;
                errors.AddRange(chunk.Refused.Select(r => (r.Line, r.BorrowerId, r.Problems)));
                var summary = await api.PostRawAsync("/borrowers/import", chunk.Body, import.ContentType, cancellationToken);
                accepted += summary.GetProperty("accepted").GetInt32();
                rejected += summary.GetProperty("rejected").GetInt32();
                foreach (var e in summary.GetProperty("errors").EnumerateArray())
                {
                    errors.Add((chunk.FileLine(e.GetProperty("line").GetInt32()), e.GetProperty("borrowerId").GetString(),
                        string.Join("; ", e.GetProperty("problems").EnumerateArray().Select(p => $"{p.GetProperty("field").GetString()}: {p.GetProperty("message").GetString()}"))));
                }

                task.Increment(chunk.Progress);
            }
        });

        console.MarkupLine($"[green]{accepted}[/] imported, [{(rejected > 0 ? "red" : "green")}]{rejected}[/] rejected");
        if (errors.Count > 0)
        {
            var table = new Table().AddColumns("line", "borrower", "problems");
            foreach (var (line, borrower, problems) in errors.OrderBy(e => e.Line).Take(100))
            {
                table.AddRow(line.ToString(CultureInfo.InvariantCulture), Markup.Escape(borrower ?? "-"), Markup.Escape(problems));
            }

            console.Write(table);
            throw new CliException(ExitCodes.Refused, $"{errors.Count} line(s) rejected");
        }
    }

    private static int Lint(IAnsiConsole console, FileInfo file, string locale, int maxSegments, string? brand)
    {
        if (!file.Exists)
        {
            console.MarkupLine($"[red]error:[/] no file {Markup.Escape(file.FullName)}");
            return ExitCodes.Usage;
        }

        var template = MessageTemplate.CreateDraft(new TemplateKey("lint", RiskTier.Medium, locale, TemplateKey.DefaultVariant), File.ReadAllText(file.FullName), maxSegments);
        var report = new TemplateLinter().Lint(template, new TemplateLintOptions { RequireBrandSignature = brand is not null, BrandSignature = brand });
        var table = new Table().AddColumns("severity", "code", "message");
        foreach (var finding in report.Findings)
        {
            table.AddRow(finding.Severity.ToString(), Markup.Escape(finding.Code), Markup.Escape(finding.Message));
        }

        console.Write(table);
        console.MarkupLine(report.HasErrors ? "[red]template has errors[/]" : "[green]template ok[/]");
        return report.HasErrors ? ExitCodes.Refused : ExitCodes.Ok;
    }

    private static string Cell(JsonElement row, string property) => row.TryGetProperty(property, out var value) ? Text(value) : "";

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => value.ToString(),
    };
}
