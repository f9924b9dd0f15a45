using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;

namespace OrleansReminders.Cli;

/// <summary>
/// An import file cut into requests of about <see cref="ChunkRows"/> borrowers: NDJSON by lines, CSV by rows
/// with the header repeated, never between two rows of one borrower. Each request's line numbers map back
/// to the file's.
/// </summary>
internal static class ImportFiles
{
    public const int ChunkRows = 500;

    public static async Task<ImportFile> OpenAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (string.Equals(file.Extension, ".csv", StringComparison.OrdinalIgnoreCase))
        {
            return new ImportFile("text/csv", Math.Max(1, file.Length), CsvAsync(file.FullName, cancellationToken));
        }

        var lines = await File.ReadAllLinesAsync(file.FullName, cancellationToken);
        return new ImportFile("application/x-ndjson", lines.Length, Ndjson(lines).ToAsyncEnumerable());
    }

    private static IEnumerable<ImportChunk> Ndjson(string[] lines)
    {
        for (var start = 0; start < lines.Length; start += ChunkRows)
        {
            var chunk = lines.Skip(start).Take(ChunkRows).ToArray();
            var offset = start;
            yield return new ImportChunk(string.Join('\n', chunk), line => offset + line, chunk.Length, []);
        }
    }

    /// <summary>
    /// The CSV file's rows as they are in the file, under its header. A borrower whose rows are not adjacent
    /// is refused here (its later rows would replace the debts of its earlier ones in another request).
    /// </summary>
    private static async IAsyncEnumerable<ImportChunk> CsvAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = CsvReader.Create(File.OpenRead(path),
            CsvReaderOptions.Default with { Separator = ',', AllowLineBreaksInQuotes = true, SkipEmptyLines = true, TrackLineNumbers = true }, leaveOpen: false);
        await reader.ReadHeaderAsync(cancellationToken);
        var header = string.Join(',', reader.Headers.Select(Quote));
        var idField = reader.Headers.ToList().FindIndex(h => string.Equals(h.Trim(), "id", StringComparison.OrdinalIgnoreCase));
        var body = new StringBuilder();
        var fileLines = new Dictionary<int, int>();
        var refused = new List<ImportRefusal>();
        var closed = new Dictionary<string, int>(StringComparer.Ordinal);
        var (rows, line, sent) = (0, 0, 0L);
        (string? Id, int Line, bool Skipped) current = (null, 0, false);
        Start();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = idField >= 0 && idField < reader.FieldCount && reader.GetString(idField) is { Length: > 0 } text ? text : null;
            if (id is null || id != current.Id)
            {
                if (current.Id is not null)
                {
                    closed.TryAdd(current.Id, current.Line);
                }

                var first = 0;
                current = (id, (int)reader.LineNumber, id is not null && closed.TryGetValue(id, out first));
                if (current.Skipped)
                {
                    refused.Add(new((int)reader.LineNumber, id, $"id: this borrower already had rows from line {first}: a borrower's rows must be adjacent"));
                }

                if (rows >= ChunkRows)
                {
                    yield return Chunk(reader.ByteOffset);
                    Start();
                }
            }

            if (!current.Skipped)
            {
                var raw = Encoding.UTF8.GetString(reader.RawRecord);
                fileLines[line] = (int)reader.LineNumber;
                body.Append(raw).Append('\n');
                line += 1 + LineBreaks(raw);
                rows++;
            }
        }

        yield return Chunk(new FileInfo(path).Length);

        void Start()
        {
            body.Clear().Append(header).Append('\n');
            fileLines = [];
            refused = [];
            (rows, line) = (0, 2 + LineBreaks(header));
        }

        ImportChunk Chunk(long readTo)
        {
            var map = fileLines;
            var chunk = new ImportChunk(body.ToString(), l => map.GetValueOrDefault(l, l), readTo - sent, refused);
            sent = readTo;
            return chunk;
        }
    }

    private static string Quote(string name) =>
        name.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : name;

    private static int LineBreaks(string text) => text.ReplaceLineEndings("\n").Count(c => c == '\n');
}

/// <summary>A file to import: its content type, its size in the progress bar's units, and its requests.</summary>
internal sealed record ImportFile(string ContentType, double Size, IAsyncEnumerable<ImportChunk> Chunks);

/// <summary>One request: its body, the file line of each of its line numbers, how much of the file it covers, and rows refused here.</summary>
internal sealed record ImportChunk(string Body, Func<int, int> FileLine, double Progress, IReadOnlyList<ImportRefusal> Refused);

/// <summary>A row the CLI did not send, with the reason, in the form the service reports its problems.</summary>
internal sealed record ImportRefusal(int Line, string? BorrowerId, string Problems);
