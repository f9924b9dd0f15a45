using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using System.Threading.Channels;
using CsvHelper;
using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>
/// The CSV form of <c>POST /borrowers/import</c> (<c>text/csv</c>, UTF-8, comma-separated, RFC 4180 quoting),
/// read as a stream. A header row names the columns after the JSON fields of an NDJSON line; each row holds
/// one debt, and adjacent rows with the same <c>id</c> are one borrower. A borrower's rows become the same
/// <see cref="ImportLine"/> an NDJSON line becomes, so they are checked and upserted by the same code.
/// </summary>
internal sealed class CsvImport : IAsyncDisposable
{
    /// <summary>Separates several time zones in the <c>timeZones</c> column.</summary>
    public const char ListSeparator = '|';

    public const string Description =
        "CSV (Content-Type: text/csv, UTF-8, comma-separated, RFC 4180 quoting): a header row, then one debt per row. "
        + "Columns are the JSON field names of an NDJSON line, matched without case: required id, phone, locale, timeZones, region, "
        + "debtId, amountDue, currency, dueDate; optional name, jurisdiction, birthday, segment, paymentSegment, isNewCustomer, "
        + "risk.lateShareLast12Months, risk.priorDelinquencies, risk.creditScore. Adjacent rows with the same id are one borrower "
        + "whose debts are the rows' debts; on its later rows the other columns repeat the same value or are empty. A borrower's rows "
        + "must be adjacent; it is imported with all of them or not at all. Several time zones are separated by '|'; numbers use '.', "
        + "dates are yyyy-MM-dd, isNewCustomer is true or false, an empty cell is an absent field; empty rows are skipped. An unknown, repeated or missing "
        + "required column is a 400 naming it; a row that cannot be read (field count, quoting, number, date) is reported with the "
        + "line where it starts and the column, and the batch goes on.";

    /// <summary>Every column, in the order of <see cref="ImportColumn"/>.</summary>
    internal static readonly CsvColumnSpec[] Columns =
    [
        new("id", CsvValueKind.Text, Required: true),
        new("phone", CsvValueKind.Text, Required: true),
        new("locale", CsvValueKind.Text, Required: true),
        new("timeZones", CsvValueKind.List, Required: true),
        new("region", CsvValueKind.Text, Required: true),
        new("debtId", CsvValueKind.Text, Required: true, Debt: true),
        new("amountDue", CsvValueKind.Decimal, Required: true, Debt: true),
        new("currency", CsvValueKind.Text, Required: true, Debt: true),
        new("dueDate", CsvValueKind.Date, Required: true, Debt: true),
        new("name", CsvValueKind.Text),
        new("jurisdiction", CsvValueKind.Text),
        new("birthday", CsvValueKind.Date),
        new("segment", CsvValueKind.Text),
        new("paymentSegment", CsvValueKind.Text),
        new("isNewCustomer", CsvValueKind.Boolean),
        new("risk.lateShareLast12Months", CsvValueKind.Decimal),
        new("risk.priorDelinquencies", CsvValueKind.Integer),
        new("risk.creditScore", CsvValueKind.Integer),
    ];

    private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        Separator = ',',
        HasHeader = true,
        AllowLineBreaksInQuotes = true,
        SkipEmptyLines = true,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        IncludeValuesInExceptions = false,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    private readonly CsvReader _reader;
    private readonly Dictionary<long, CsvMalformedReason> _malformed = [];
    private ImportColumn[] _columns = [];
    private int _idField = -1;

    private readonly int _maxDebts;

    private CsvImport(Stream body, int maxDebts, int maxRecordBytes)
    {
        _maxDebts = maxDebts;
        _reader = CsvReader.Create(body, Options with
        {
            OnMalformedRecord = m => _malformed[m.LineNumber] = m.Reason,
            MaxRecordSize = maxRecordBytes,
        }, leaveOpen: true);
    }

    /// <summary>A reader of <paramref name="body"/> that keeps at most <paramref name="maxDebts"/> debts per borrower and refuses a record over <paramref name="maxRecordBytes"/>.</summary>
    public static CsvImport Open(Stream body, int maxDebts, int maxRecordBytes) => new(body, maxDebts, maxRecordBytes);

    /// <summary>Reads and checks the header: null when every column is known, once, and the required ones are there; else a 400.</summary>
    public async Task<ProblemHttpResult?> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        await _reader.ReadHeaderAsync(cancellationToken);
        var headers = _reader.Headers;
        if (headers.Count == 0)
        {
            return HeaderProblem($"a header row naming the columns is required, e.g. {string.Join(',', Columns.Where(c => c.Required).Select(c => c.Name))}");
        }

        if (_malformed.Remove(1))
        {
            return HeaderProblem("is not valid CSV (a quote inside a name, or one that is never closed)");
        }

        var unnamed = Enumerable.Range(0, headers.Count).Where(i => string.IsNullOrWhiteSpace(headers[i])).Select(i => (i + 1).ToString(CultureInfo.InvariantCulture)).ToList();
        if (unnamed.Count > 0)
        {
            return HeaderProblem($"column {string.Join(", ", unnamed)} has no name");
        }

        var unknown = headers.Where(h => Find(h) is null).ToList();
        if (unknown.Count > 0)
        {
            return HeaderProblem($"unknown column {string.Join(", ", unknown.Select(u => $"'{u.Trim()}'"))}; the columns are {string.Join(", ", Columns.Select(c => c.Name))}");
        }

        _columns = [.. headers.Select(h => Find(h)!.Value)];
        var repeated = _columns.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => Columns[(int)g.Key].Name).ToList();
        if (repeated.Count > 0)
        {
            return HeaderProblem($"column {string.Join(", ", repeated.Select(r => $"'{r}'"))} appears more than once");
        }

        var missing = Enumerable.Range(0, Columns.Length).Where(c => Columns[c].Required && !_columns.Contains((ImportColumn)c)).Select(c => Columns[c].Name).ToList();
        if (missing.Count > 0)
        {
            return HeaderProblem($"missing required column {string.Join(", ", missing.Select(m => $"'{m}'"))}");
        }

        _idField = Array.IndexOf(_columns, ImportColumn.Id);
        return null;
    }

    /// <summary>
    /// Reads the rows after the header, merges each borrower's adjacent rows and hands the borrowers to
    /// <paramref name="work"/>; answers the number of lines read (the header included).
    /// </summary>
    public async Task<int> ReadAsync(ChannelWriter<CsvBorrower> work, CancellationToken cancellationToken)
    {
        var lines = 1;
        var earlier = new Dictionary<string, int>(StringComparer.Ordinal);
        CsvBorrower? current = null;
        var overlong = false;
        while (await NextAsync())
        {
            var line = checked((int)_reader.LineNumber);
            lines = line + LineBreaks(_reader.RawRecord);
            if (!_malformed.ContainsKey(line) && IsBlank())
            {
                continue;
            }

            var id = _idField < _reader.FieldCount && _reader.GetString(_idField) is { Length: > 0 } text ? text : null;
            if (current is null || id is null || current.Id != id)
            {
                if (current is not null)
                {
                    await FinishAsync(current);
                }

                current = new CsvBorrower(id, line);
                if (id is not null && earlier.TryGetValue(id, out var first))
                {
                    current.AddProblem(line, "id", $"this borrower already had rows from line {first}: a borrower's rows must be adjacent");
                }
            }

            ReadRow(current, line);
        }

        if (current is not null)
        {
            await FinishAsync(current);
        }

        if (overlong)
        {
            var unread = new CsvBorrower(null, lines + 1);
            unread.AddProblem(lines + 1, "row", "is longer than Api:Limits:MaxImportLineLength (bytes); it and the rest of the body were not read");
            await FinishAsync(unread);
        }

        return lines;

        // A record longer than the limit (say, an unclosed quote early in a large body) ends the reading: where
        // the next record starts cannot be known. It is reported on the line after the last one read.
        async Task<bool> NextAsync()
        {
            try
            {
                return await _reader.ReadAsync(cancellationToken);
            }
            catch (CsvFormatException)
            {
                overlong = true;
                return false;
            }
        }

        async Task FinishAsync(CsvBorrower borrower)
        {
            if (borrower.Id is not null)
            {
                earlier.TryAdd(borrower.Id, borrower.Line);
            }

            await work.WriteAsync(borrower, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    private void ReadRow(CsvBorrower borrower, int line)
    {
        if (_malformed.Remove(line, out var reason))
        {
            borrower.AddProblem(line, BadlyQuotedColumn() ?? "row", reason switch
            {
                CsvMalformedReason.StrayQuote => "has a quote inside a value that does not start with one (quote the whole value and double the quotes in it)",
                CsvMalformedReason.TextAfterClosingQuote => "has text after its closing quote",
                CsvMalformedReason.UnterminatedQuote => "opens a quote that is never closed (the rest of the body was read as this row)",
                _ => "is not valid CSV",
            });
            return;
        }

        if (_reader.FieldCount != _columns.Length)
        {
            borrower.AddProblem(line, "row", $"has {_reader.FieldCount} fields, the header has {_columns.Length}");
            return;
        }

        var debt = new object?[4];
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            var spec = Columns[(int)column];
            var text = _reader.GetString(i);
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (!TryParse(spec.Kind, text, out var value, out var problem))
            {
                borrower.AddProblem(line, spec.Name, problem);
            }
            else if (spec.Debt)
            {
                debt[column - ImportColumn.DebtId] = value;
            }
            else
            {
                borrower.Set(column, value, line);
            }
        }

        if (debt.Any(v => v is not null) && borrower.DebtCount >= _maxDebts)
        {
            // Kept bounded, reported once: the borrower is refused anyway.
            if (!borrower.TooManyDebts)
            {
                borrower.TooManyDebts = true;
                borrower.AddProblem(line, "debts", $"a borrower has at most {_maxDebts} debts (Api:Limits:MaxDebtsPerBorrower)");
            }
        }
        else if (debt.Any(v => v is not null))
        {
            borrower.AddDebt(new DebtRequest(debt[0] as string, debt[1] as decimal?, debt[2] as string, debt[3] as DateOnly?), line);
        }
    }

    /// <summary>Whether every cell of the current record is empty (spreadsheets export such rows): skipped like an empty line.</summary>
    private bool IsBlank()
    {
        for (var i = 0; i < _reader.FieldCount; i++)
        {
            if (!_reader.GetSpan(i).Trim(" \t"u8).IsEmpty)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The column of the current record's first badly quoted field, if it can be told.</summary>
    private string? BadlyQuotedColumn()
    {
        for (var i = 0; i < _reader.FieldCount; i++)
        {
            if (!WellQuoted(_reader.GetRawSpan(i)))
            {
                return i < _columns.Length ? Columns[(int)_columns[i]].Name : null;
            }
        }

        return null;
    }

    private static bool WellQuoted(ReadOnlySpan<byte> raw)
    {
        if (!raw.Contains((byte)'"'))
        {
            return true;
        }

        if (raw.Length < 2 || raw[0] != '"' || raw[^1] != '"')
        {
            return false;
        }

        var inner = raw[1..^1];
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '"' && (++i >= inner.Length || inner[i] != '"'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParse(CsvValueKind kind, string text, out object value, out string problem)
    {
        var trimmed = text.Trim();
        var invariant = CultureInfo.InvariantCulture;
        (value, problem) = kind switch
        {
            CsvValueKind.List => (text.Split(ListSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(), ""),
            CsvValueKind.Decimal => decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, invariant, out var d)
                ? (d, "") : ((object)0m, "is not a number (digits with '.' for decimals, e.g. 1500.50)"),
            CsvValueKind.Integer => int.TryParse(trimmed, NumberStyles.AllowLeadingSign, invariant, out var n)
                ? (n, "") : ((object)0, "is not a whole number"),
            CsvValueKind.Date => DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", invariant, DateTimeStyles.None, out var date)
                ? (date, "") : ((object)default(DateOnly), "is not a date (yyyy-MM-dd)"),
            CsvValueKind.Boolean => bool.TryParse(trimmed, out var b) ? (b, "") : ((object)false, "must be true or false"),
            _ => (text, ""),
        };
        return problem.Length == 0;
    }

    private static ImportColumn? Find(string header)
    {
        var index = Array.FindIndex(Columns, c => string.Equals(c.Name, header.Trim(), StringComparison.OrdinalIgnoreCase));
        return index < 0 ? null : (ImportColumn)index;
    }

    private static int LineBreaks(ReadOnlySpan<byte> raw)
    {
        var breaks = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\n' || (raw[i] == '\r' && (i + 1 == raw.Length || raw[i + 1] != '\n')))
            {
                breaks++;
            }
        }

        return breaks;
    }

    private static ProblemHttpResult HeaderProblem(string reason) => ApiResults.Problem(StatusCodes.Status400BadRequest, "header", reason);
}

/// <summary>
/// One borrower's adjacent CSV rows, merged: its values (each with the line it came from), its debts (one per
/// row that has debt columns) and the problems found reading the rows.
/// </summary>
internal sealed class CsvBorrower(string? id, int line)
{
    private readonly object?[] _values = new object?[CsvImport.Columns.Length];
    private readonly int[] _valueLines = new int[CsvImport.Columns.Length];
    private readonly List<DebtRequest> _debts = [];
    private readonly List<int> _debtLines = [];
    private readonly SortedDictionary<int, List<FieldProblem>> _problems = [];

    public string? Id => id;

    /// <summary>The line where the borrower's first row starts.</summary>
    public int Line => line;

    public void AddProblem(int at, string field, string message)
    {
        if (!_problems.TryGetValue(at, out var problems))
        {
            _problems[at] = problems = [];
        }

        problems.Add(new FieldProblem(field, message));
    }

    /// <summary>Takes a borrower column's value; a later row may repeat it but not change it.</summary>
    public void Set(ImportColumn column, object value, int at)
    {
        var index = (int)column;
        if (_values[index] is null)
        {
            (_values[index], _valueLines[index]) = (value, at);
        }
        else if (!(_values[index] is List<string> list && value is List<string> other ? list.SequenceEqual(other) : _values[index]!.Equals(value)))
        {
            AddProblem(at, CsvImport.Columns[index].Name, $"differs from line {_valueLines[index]}: a borrower's rows repeat its values or leave them empty");
        }
    }

    public int DebtCount => _debts.Count;

    /// <summary>More rows with debts came than a borrower may have; the extra ones were not kept.</summary>
    public bool TooManyDebts { get; set; }

    public void AddDebt(DebtRequest debt, int at)
    {
        _debts.Add(debt);
        _debtLines.Add(at);
    }

    /// <summary>The rows that could not be read, each with its problems; empty when every row was read.</summary>
    public IReadOnlyList<ImportError> ReadErrors() => [.. _problems.Select(p => new ImportError(p.Key, Id, p.Value))];

    public ImportLine ToImportLine()
    {
        var risk = Get<decimal>(ImportColumn.LateShareLast12Months) is null && Get<int>(ImportColumn.PriorDelinquencies) is null && Get<int>(ImportColumn.CreditScore) is null
            ? null
            : new RiskRequest(Get<decimal>(ImportColumn.LateShareLast12Months), Get<int>(ImportColumn.PriorDelinquencies), Get<int>(ImportColumn.CreditScore));
        return new ImportLine(
            Id, Text(ImportColumn.Phone), Text(ImportColumn.Locale), _values[(int)ImportColumn.TimeZones] as List<string>, Text(ImportColumn.Region), [.. _debts],
            Text(ImportColumn.Name), Text(ImportColumn.Jurisdiction), Get<DateOnly>(ImportColumn.Birthday), Text(ImportColumn.Segment),
            Text(ImportColumn.PaymentSegment), Get<bool>(ImportColumn.IsNewCustomer), risk);
    }

    /// <summary>
    /// The borrower's problems on the lines they come from, named by column: <c>debts[1].currency</c> is the
    /// <c>currency</c> of the second debt's row; a borrower column's problem is on the line that set it, others
    /// on the borrower's first line.
    /// </summary>
    public IReadOnlyList<ImportError> ErrorsFor(IEnumerable<FieldProblem> problems)
    {
        foreach (var problem in problems)
        {
            if (DebtField(problem.Field) is var (index, column) && index < _debtLines.Count)
            {
                AddProblem(_debtLines[index], column, problem.Message);
                continue;
            }

            var known = Array.FindIndex(CsvImport.Columns, c => c.Name == problem.Field);
            AddProblem(known >= 0 && _valueLines[known] > 0 ? _valueLines[known] : line, problem.Field, problem.Message);
        }

        return ReadErrors();
    }

    private static (int Index, string Column)? DebtField(string field)
    {
        const string Prefix = "debts[";
        var close = field.IndexOf("].", StringComparison.Ordinal);
        return field.StartsWith(Prefix, StringComparison.Ordinal) && close > Prefix.Length
            && int.TryParse(field.AsSpan(Prefix.Length, close - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? (index, field[(close + 2)..])
            : null;
    }

    private string? Text(ImportColumn column) => _values[(int)column] as string;

    private T? Get<T>(ImportColumn column)
        where T : struct => _values[(int)column] is T value ? value : null;
}

/// <summary>The columns of the CSV import, in the order of <see cref="CsvImport.Columns"/>; the four debt columns are adjacent.</summary>
internal enum ImportColumn
{
    Id, Phone, Locale, TimeZones, Region, DebtId, AmountDue, Currency, DueDate, Name, Jurisdiction, Birthday, Segment, PaymentSegment,
    IsNewCustomer, LateShareLast12Months, PriorDelinquencies, CreditScore,
}

/// <summary>How a CSV column's text is read.</summary>
internal enum CsvValueKind
{
    Text, List, Decimal, Integer, Date, Boolean,
}

/// <summary>A CSV column: its header name (the JSON field's), how it is read, whether the header must have it, whether it belongs to the row's debt.</summary>
internal sealed record CsvColumnSpec(string Name, CsvValueKind Kind, bool Required = false, bool Debt = false);
