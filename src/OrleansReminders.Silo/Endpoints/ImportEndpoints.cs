using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>
/// <c>POST /borrowers/import</c>: NDJSON, one borrower per line (the PUT body plus <c>"id"</c>), or CSV with a
/// header row (see <see cref="CsvImport"/>), read as a stream and upserted with bounded parallelism. A bad
/// line is reported with its number and problems and does not stop the batch; the answer is a summary with
/// every line's problems (the first 1,000).
/// </summary>
internal static class ImportEndpoints
{
    public const int MaxReportedErrors = 1_000;
    private const int Parallelism = 64;

    public static RouteHandlerBuilder MapImport(this IEndpointRouteBuilder app) =>
        app.MapPost("/borrowers/import", ImportAsync).RequireAuthorization(ApiRoles.Ingest).WithTags("Borrowers")
            .WithSummary("Bulk upsert: NDJSON (application/x-ndjson), one borrower per line with its \"id\"; or CSV (text/csv): a header row "
                + "of the line's field names, one debt per row (debtId, amountDue, currency, dueDate), a borrower's adjacent rows merged, "
                + "timeZones split by '|', risk.* columns; per-line errors, the batch goes on.")
            .WithDescription(CsvImport.Description);

    private static async Task<IResult> ImportAsync(HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        switch (request.ContentType?.Split(';')[0].Trim().ToLowerInvariant())
        {
            case "application/x-ndjson" or "application/jsonl" or "application/json-lines":
                return TypedResults.Ok(await RunAsync<(int Line, string Text)>(
                    (work, ct) => ReadNdjsonAsync(request.Body, work, ct), item => ImportJsonLineAsync(grains, item.Line, item.Text), cancellationToken));
            case "text/csv":
                await using (var csv = CsvImport.Open(request.Body))
                {
                    if (await csv.ReadHeaderAsync(cancellationToken) is { } problem)
                    {
                        return problem;
                    }

                    return TypedResults.Ok(await RunAsync<CsvBorrower>(csv.ReadAsync, borrower => ImportCsvBorrowerAsync(grains, borrower), cancellationToken));
                }

            default:
                return ApiResults.Problem(StatusCodes.Status400BadRequest, "body",
                    "must be NDJSON (Content-Type: application/x-ndjson), one borrower per line, or CSV with a header row (Content-Type: text/csv)");
        }
    }

    /// <summary>
    /// Feeds what <paramref name="read"/> writes (and counts the lines it read) to bounded parallel workers;
    /// <paramref name="import"/> answers the errors of one borrower, none when it was accepted.
    /// </summary>
    private static async Task<ImportSummary> RunAsync<T>(
        Func<ChannelWriter<T>, CancellationToken, Task<int>> read, Func<T, Task<IReadOnlyList<ImportError>>> import, CancellationToken cancellationToken)
    {
        var errors = new ConcurrentBag<ImportError>();
        var accepted = 0;
        var rejected = 0;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var work = Channel.CreateBounded<T>(Parallelism * 4);
        var workers = Enumerable.Range(0, Parallelism).Select(_ => Task.Run(async () =>
        {
            await foreach (var item in work.Reader.ReadAllAsync(cancellationToken))
            {
                var found = await import(item);
                if (found.Count == 0)
                {
                    Interlocked.Increment(ref accepted);
                    continue;
                }

                Interlocked.Increment(ref rejected);
                foreach (var error in found)
                {
                    errors.Add(error);
                }
            }
        }, cancellationToken)).ToList();

        int lines;
        try
        {
            lines = await read(work.Writer, cancellationToken);
        }
        finally
        {
            work.Writer.Complete();
        }

        await Task.WhenAll(workers);
        var seconds = Math.Max(0.001, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        var reported = errors.OrderBy(e => e.Line).Take(MaxReportedErrors).ToList();
        return new ImportSummary(lines, accepted, rejected, Math.Round(accepted / seconds), reported);
    }

    private static async Task<int> ReadNdjsonAsync(Stream body, ChannelWriter<(int Line, string Text)> work, CancellationToken cancellationToken)
    {
        var lines = 0;
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            lines++;
            if (!string.IsNullOrWhiteSpace(text))
            {
                await work.WriteAsync((lines, text), cancellationToken);
            }
        }

        return lines;
    }

    private static async Task<IReadOnlyList<ImportError>> ImportJsonLineAsync(IGrainFactory grains, int line, string text)
    {
        ImportLine? row;
        try
        {
            row = JsonSerializer.Deserialize<ImportLine>(text, ApiResults.Json);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "line" : ex.Path.TrimStart('$', '.');
            return [new ImportError(line, null, [new(field, "is not valid JSON for this field")])];
        }

        if (row is null)
        {
            return [new ImportError(line, null, [new("id", BorrowerIds.Rule)])];
        }

        return await UpsertAsync(grains, row) is { } problems ? [new ImportError(line, row.Id, problems)] : [];
    }

    private static async Task<IReadOnlyList<ImportError>> ImportCsvBorrowerAsync(IGrainFactory grains, CsvBorrower borrower)
    {
        if (borrower.ReadErrors() is { Count: > 0 } unreadable)
        {
            return unreadable;
        }

        return await UpsertAsync(grains, borrower.ToImportLine()) is { } problems ? borrower.ErrorsFor(problems) : [];
    }

    /// <summary>One borrower, checked as PUT checks it and upserted: null when accepted, else every problem.</summary>
    private static async Task<IReadOnlyList<FieldProblem>?> UpsertAsync(IGrainFactory grains, ImportLine row)
    {
        if (!BorrowerIds.IsValid(row.Id))
        {
            return [new("id", BorrowerIds.Rule)];
        }

        var (upsert, missing) = BorrowerEndpoints.ToUpsert(row.ToRequest());
        if (upsert is null)
        {
            return missing;
        }

        var result = await grains.GetGrain<IBorrowerGrain>(row.Id).UpsertAsync(upsert);
        return result.IsAccepted ? null : [.. result.Problems];
    }
}

/// <summary>One imported borrower: the PUT body plus the borrower id (an NDJSON line, or a CSV borrower's rows).</summary>
internal sealed record ImportLine(
    string? Id, string? Phone, string? Locale, List<string>? TimeZones, string? Region, List<DebtRequest>? Debts,
    string? Name = null, string? Jurisdiction = null, DateOnly? Birthday = null, string? Segment = null,
    string? PaymentSegment = null, bool? IsNewCustomer = null, RiskRequest? Risk = null)
{
    public UpsertBorrowerRequest ToRequest() => new(Phone, Locale, TimeZones, Region, Debts, Name, Jurisdiction, Birthday,
        Segment, PaymentSegment, IsNewCustomer, Risk);
}

/// <summary>
/// What an import did: lines read, borrowers accepted and rejected, and the rejected lines' problems (a CSV
/// borrower whose rows have problems on several lines is rejected once and reported on each of those lines).
/// </summary>
public sealed record ImportSummary(int Lines, int Accepted, int Rejected, double PerSecond, IReadOnlyList<ImportError> Errors);

public sealed record ImportError(int Line, string? BorrowerId, IReadOnlyList<FieldProblem> Problems);
