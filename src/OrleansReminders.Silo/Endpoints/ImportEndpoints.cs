using Microsoft.AspNetCore.Http.HttpResults;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using OrleansReminders.Contracts.Borrowers;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Domain.Common;
using OrleansReminders.Grains.Time;
using OrleansReminders.Silo.Hosting;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>
/// <c>POST /borrowers/import</c>: NDJSON, one borrower per line (the PUT body plus <c>"id"</c>), or CSV with a
/// header row (see <see cref="CsvImport"/>), read as a stream and upserted with bounded parallelism. A bad
/// line is reported with its number and problems and does not stop the batch; the answer is a summary with
/// every line's problems (the first 1,000). Every line is checked against the rules and <see cref="InputLimits"/>
/// before its grain is called; an NDJSON line longer than <c>Api:Limits:MaxImportLineLength</c> is refused
/// unread. A line whose grain call fails (storage or cluster unavailable, a timeout) is reported as
/// <c>failed</c> with "retry" and the batch goes on: the request always answers.
/// </summary>
internal static class ImportEndpoints
{
    public const int MaxReportedErrors = 1_000;
    private const int Parallelism = 64;

    public static RouteHandlerBuilder MapImport(this IEndpointRouteBuilder app) =>
        app.MapPost("/borrowers/import", ImportAsync).RequireAuthorization(ApiRoles.Ingest).WithTags("Borrowers").WithBodyLimit(BodyKind.Import)
            .WithSummary("Bulk upsert: NDJSON (application/x-ndjson), one borrower per line with its \"id\"; or CSV (text/csv): a header row "
                + "of the line's field names, one debt per row (debtId, amountDue, currency, dueDate), a borrower's adjacent rows merged, "
                + "timeZones split by '|', risk.* columns; per-line errors, the batch goes on.")
            .WithDescription(CsvImport.Description)
            .WithMetadata(new RequestBodyMetadata(typeof(string), "application/x-ndjson", "text/csv"))
            .Produces<ImportSummary>().ProducesProblem(StatusCodes.Status400BadRequest);

    private static async Task<Results<Ok<ImportSummary>, ProblemHttpResult>> ImportAsync(
        HttpRequest request, IGrainFactory grains, InputLimits limits, IOptions<RequestBodyLimitsOptions> bodyLimits, IOptions<JsonOptions> json,
        [FromKeyedServices(BusinessClock.Key)] TimeProvider clock, CancellationToken cancellationToken)
    {
        var importer = new Importer(grains, limits, clock, json.Value.SerializerOptions);
        switch (request.ContentType?.Split(';')[0].Trim().ToLowerInvariant())
        {
            case "application/x-ndjson" or "application/jsonl" or "application/json-lines":
                return TypedResults.Ok(await RunAsync<(int Line, string? Text)>(
                    (work, ct) => ReadNdjsonAsync(request.Body, bodyLimits.Value.MaxImportLineLength, work, ct), importer.JsonLineAsync, cancellationToken));
            case "text/csv":
                await using (var csv = CsvImport.Open(request.Body, limits.MaxDebtsPerBorrower, bodyLimits.Value.MaxImportLineLength))
                {
                    if (await csv.ReadHeaderAsync(cancellationToken) is { } problem)
                    {
                        return problem;
                    }

                    return TypedResults.Ok(await RunAsync<CsvBorrower>(csv.ReadAsync, importer.CsvBorrowerAsync, cancellationToken));
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
        var work = System.Threading.Channels.Channel.CreateBounded<T>(Parallelism * 4);
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

    /// <summary>
    /// Reads NDJSON lines of at most <paramref name="maxLineLength"/> characters; a longer line is not kept: its
    /// work item carries a null text and its rest is skipped up to the next line break.
    /// </summary>
    private static async Task<int> ReadNdjsonAsync(Stream body, int maxLineLength, ChannelWriter<(int Line, string? Text)> work, CancellationToken cancellationToken)
    {
        var lines = 0;
        using var reader = new StreamReader(body);
        var buffer = new char[8192];
        var line = new System.Text.StringBuilder();
        var tooLong = false;
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            // Whole runs between line breaks are appended at once; a run that would pass the limit marks the line.
            for (var start = 0; start < read;)
            {
                var end = Array.IndexOf(buffer, '\n', start, read - start);
                var run = (end < 0 ? read : end) - start;
                if (!tooLong && line.Length + run <= maxLineLength)
                {
                    line.Append(buffer, start, run);
                }
                else
                {
                    tooLong = true;
                    line.Clear();
                }

                if (end < 0)
                {
                    break;
                }

                await EmitAsync();
                start = end + 1;
            }
        }

        if (line.Length > 0 || tooLong)
        {
            await EmitAsync();
        }

        return lines;

        async ValueTask EmitAsync()
        {
            lines++;
            var text = line.ToString().TrimEnd('\r');
            if (tooLong || !string.IsNullOrWhiteSpace(text))
            {
                await work.WriteAsync((lines, tooLong ? null : text), cancellationToken);
            }

            line.Clear();
            tooLong = false;
        }
    }

    /// <summary>Checks and upserts one borrower of an import; answers its problems, none when it was accepted.</summary>
    private sealed class Importer(IGrainFactory grains, InputLimits limits, TimeProvider clock, JsonSerializerOptions json)
    {
        public async Task<IReadOnlyList<ImportError>> JsonLineAsync((int Line, string? Text) item)
        {
            var (line, text) = item;
            if (text is null)
            {
                return [new ImportError(line, null, [new("line", "is longer than Api:Limits:MaxImportLineLength; it was not read")])];
            }

            ImportLine? row;
            try
            {
                row = (ImportLine?)JsonSerializer.Deserialize(text, json.GetTypeInfo(typeof(ImportLine)));
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

            return await UpsertAsync(row) is { } problems ? [new ImportError(line, row.Id, problems)] : [];
        }

        public async Task<IReadOnlyList<ImportError>> CsvBorrowerAsync(CsvBorrower borrower)
        {
            if (borrower.ReadErrors() is { Count: > 0 } unreadable)
            {
                return unreadable;
            }

            return await UpsertAsync(borrower.ToImportLine()) is { } problems ? borrower.ErrorsFor(problems) : [];
        }

        /// <summary>One borrower, checked as PUT checks it and upserted: null when accepted, else every problem.</summary>
        private async Task<IReadOnlyList<FieldProblem>?> UpsertAsync(ImportLine row)
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

            if (BorrowerEndpoints.Check(row.Id, upsert, limits, clock) is { Count: > 0 } problems)
            {
                return problems;
            }

            try
            {
                var result = await grains.GetGrain<IBorrowerGrain>(row.Id).UpsertAsync(upsert);
                return result.IsAccepted ? null : [.. result.Problems];
            }
            catch (Exception ex)
            {
                // Never let one failed call stop the workers: the reader would wait on a full channel for ever.
                return [ApiErrors.IsUnavailable(ex)
                    ? new("failed", "storage or the cluster was unavailable; this borrower was not imported: retry it")
                    : new("failed", $"this borrower was not imported ({ex.GetType().Name}); retry it, and report it if it fails again")];
            }
        }
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
