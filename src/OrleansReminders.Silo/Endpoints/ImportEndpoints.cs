using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Domain.Borrowers;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>
/// <c>POST /borrowers/import</c>: NDJSON, one borrower per line (the PUT body plus <c>"id"</c>), read as a
/// stream and upserted with bounded parallelism. A bad line is reported with its number and problems and
/// does not stop the batch; the answer is a summary with every line's problems (the first 1,000).
/// </summary>
internal static class ImportEndpoints
{
    public const int MaxReportedErrors = 1_000;
    private const int Parallelism = 32;

    public static RouteHandlerBuilder MapImport(this IEndpointRouteBuilder app) =>
        app.MapPost("/borrowers/import", ImportAsync).RequireAuthorization(ApiRoles.Ingest).WithTags("Borrowers")
            .WithSummary("Bulk upsert: NDJSON (application/x-ndjson), one borrower per line with its \"id\"; per-line errors, the batch goes on.");

    private static async Task<IResult> ImportAsync(HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (request.ContentType?.Split(';')[0].Trim() is not ("application/x-ndjson" or "application/jsonl" or "application/json-lines"))
        {
            return ApiResults.Problem(StatusCodes.Status400BadRequest, "body", "must be NDJSON (Content-Type: application/x-ndjson), one borrower per line");
        }

        var errors = new ConcurrentBag<ImportError>();
        var lines = 0;
        var accepted = 0;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var work = Channel.CreateBounded<(int Line, string Text)>(Parallelism * 4);
        var workers = Enumerable.Range(0, Parallelism).Select(_ => Task.Run(async () =>
        {
            await foreach (var (line, text) in work.Reader.ReadAllAsync(cancellationToken))
            {
                if (await ImportLineAsync(grains, line, text) is { } error)
                {
                    errors.Add(error);
                }
                else
                {
                    Interlocked.Increment(ref accepted);
                }
            }
        }, cancellationToken)).ToList();

        using (var reader = new StreamReader(request.Body))
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } text)
            {
                lines++;
                if (!string.IsNullOrWhiteSpace(text))
                {
                    await work.Writer.WriteAsync((lines, text), cancellationToken);
                }
            }
        }

        work.Writer.Complete();
        await Task.WhenAll(workers);
        var seconds = Math.Max(0.001, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        var reported = errors.OrderBy(e => e.Line).Take(MaxReportedErrors).ToList();
        return TypedResults.Ok(new ImportSummary(lines, accepted, errors.Count, Math.Round(accepted / seconds), reported));
    }

    private static async Task<ImportError?> ImportLineAsync(IGrainFactory grains, int line, string text)
    {
        ImportLine? row;
        try
        {
            row = JsonSerializer.Deserialize<ImportLine>(text, ApiResults.Json);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "line" : ex.Path.TrimStart('$', '.');
            return new ImportError(line, null, [new(field, "is not valid JSON for this field")]);
        }

        if (row is null || !BorrowerIds.IsValid(row.Id))
        {
            return new ImportError(line, row?.Id, [new("id", BorrowerIds.Rule)]);
        }

        var (upsert, missing) = BorrowerEndpoints.ToUpsert(row.ToRequest());
        if (upsert is null)
        {
            return new ImportError(line, row.Id, missing);
        }

        var result = await grains.GetGrain<IBorrowerGrain>(row.Id).UpsertAsync(upsert);
        return result.IsAccepted ? null : new ImportError(line, row.Id, [.. result.Problems]);
    }

    /// <summary>One NDJSON line: the PUT body plus the borrower id.</summary>
    private sealed record ImportLine(
        string? Id, string? Phone, string? Locale, List<string>? TimeZones, string? Region, List<DebtRequest>? Debts,
        string? Name = null, string? Jurisdiction = null, DateOnly? Birthday = null, string? Segment = null,
        string? PaymentSegment = null, bool? IsNewCustomer = null, RiskRequest? Risk = null)
    {
        public UpsertBorrowerRequest ToRequest() => new(Phone, Locale, TimeZones, Region, Debts, Name, Jurisdiction, Birthday,
            Segment, PaymentSegment, IsNewCustomer, Risk);
    }
}

/// <summary>What an import did: lines read, borrowers accepted and rejected, and the rejected lines' problems.</summary>
public sealed record ImportSummary(int Lines, int Accepted, int Rejected, double PerSecond, IReadOnlyList<ImportError> Errors);

public sealed record ImportError(int Line, string? BorrowerId, IReadOnlyList<FieldProblem> Problems);
