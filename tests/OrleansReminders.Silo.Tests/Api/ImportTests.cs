using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using OrleansReminders.Silo.Endpoints;
using OrleansReminders.Silo.Security;

namespace OrleansReminders.Silo.Tests.Api;

public sealed class ImportTests : IAsyncLifetime
{
    private ServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync(new Dictionary<string, string?>
    {
        ["Api:Keys:0:Name"] = "loan-system", ["Api:Keys:0:Sha256"] = ApiKeys.Hash("ingest-key"), ["Api:Keys:0:Roles:0"] = "ingest",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ABatchWithBadLinesImportsTheGoodOnesAndReportsEachBadLine()
    {
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10).ToString("yyyy-MM-dd");
        var lines = new List<string>();
        for (var i = 1; i <= 1_500; i++)
        {
            lines.Add(i switch
            {
                10 => "{not json",
                20 => $$"""{"id":"imp-20","locale":"zh-CN","timeZones":["Asia/Shanghai"],"region":"CN","debts":[]}""",
                30 => $$"""{"id":"bad id!","phone":"+8613912345678","locale":"zh-CN","timeZones":["Asia/Shanghai"],"region":"CN","debts":[]}""",
                40 => $$"""{"id":"imp-40","phone":"12","locale":"zh-CN","timeZones":["Asia/Shanghai"],"region":"CN","debts":[]}""",
                50 => "",
                _ => $$"""{"id":"imp-{{i}}","phone":"+86139{{i:D8}}","locale":"zh-CN","timeZones":["Asia/Shanghai"],"region":"CN","debts":[{"debtId":"l{{i}}","amountDue":100,"currency":"CNY","dueDate":"{{due}}"}]}""",
            });
        }

        var response = await PostAsync(string.Join("\n", lines), "application/x-ndjson");
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1_500, summary.GetProperty("lines").GetInt32());
        Assert.Equal(1_495, summary.GetProperty("accepted").GetInt32());
        Assert.Equal(4, summary.GetProperty("rejected").GetInt32());
        var errors = summary.GetProperty("errors").EnumerateArray()
            .ToDictionary(e => e.GetProperty("line").GetInt32(), e => e.GetProperty("problems")[0].GetProperty("field").GetString());
        Assert.Equal(new Dictionary<int, string?> { [10] = "line", [20] = "phone", [30] = "id", [40] = "phone" }, errors);
        Assert.NotNull(await _host.Grains.GetGrain<Contracts.Borrowers.IBorrowerGrain>("imp-1500").GetStatusAsync());
        Assert.Null(await _host.Grains.GetGrain<Contracts.Borrowers.IBorrowerGrain>("imp-40").GetStatusAsync());
    }

    /// <summary>A CSV borrower with more rows than debts allowed is refused once, its extra rows not kept; a record over the length limit ends the body, reported.</summary>
    [Fact]
    public async Task CsvKeepsABorrowersDebtsAndItsRecordsBounded()
    {
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10).ToString("yyyy-MM-dd");
        var header = "id,phone,locale,timeZones,region,debtId,amountDue,currency,dueDate";
        var rows = Enumerable.Range(0, 250).Select(i => $"csv-many,+8613912340000,zh-CN,Asia/Shanghai,CN,d{i},100,CNY,{due}");
        var fine = $"csv-fine,+8613912340001,zh-CN,Asia/Shanghai,CN,d1,100,CNY,{due}";
        var overlong = $"csv-long,+8613912340002,zh-CN,Asia/Shanghai,CN,d1,100,CNY,\"{new string('x', 300 * 1024)}";

        var response = await PostAsync(string.Join("\n", [header, .. rows, fine, overlong]), "text/csv");
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, summary.GetProperty("accepted").GetInt32());
        var problems = summary.GetProperty("errors").EnumerateArray()
            .SelectMany(e => e.GetProperty("problems").EnumerateArray().Select(p => (Line: e.GetProperty("line").GetInt32(), Field: p.GetProperty("field").GetString())))
            .ToList();
        Assert.Equal([(202, "debts"), (253, "row")], problems);
        Assert.NotNull(await _host.Grains.GetGrain<Contracts.Borrowers.IBorrowerGrain>("csv-fine").GetStatusAsync());
    }

    [Fact]
    public async Task OnlyNdjsonAndCsvAreAccepted()
    {
        var json = await PostAsync("[]", "application/json");
        var text = await PostAsync("id,phone\n", "text/plain");
        var problem = await json.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (json.StatusCode, text.StatusCode));
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        Assert.Contains("text/csv", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACsvBodyImportsOneBorrowerPerIdWithOneDebtPerRow()
    {
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10).ToString("yyyy-MM-dd");
        var later = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(40).ToString("yyyy-MM-dd");
        var csv = string.Join("\r\n",
            "ID,name,phone,locale,timeZones,region,jurisdiction,birthday,segment,paymentSegment,isNewCustomer,risk.lateShareLast12Months,risk.priorDelinquencies,risk.creditScore,debtId,amountDue,currency,dueDate",
            $"csv-1,Li Lei,+8613912345678,zh-CN,Asia/Shanghai|Asia/Urumqi,CN,,1990-05-01,,standard,TRUE,0.25,1,650,loan-1,150.50,CNY,{due}",
            $"csv-1,,,,,,,,,,,,,,loan-2,49.50,CNY,{later}",
            $"csv-2,,+8613912345679,zh-CN,Asia/Shanghai,CN,,,,,,,,,loan-9,1000,CNY,{due}") + "\r\n";

        var response = await PostAsync(csv, "text/csv");
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        var first = await StatusAsync("csv-1");
        var second = await StatusAsync("csv-2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((4, 2, 0, 0), (summary.GetProperty("lines").GetInt32(), summary.GetProperty("accepted").GetInt32(),
            summary.GetProperty("rejected").GetInt32(), summary.GetProperty("errors").GetArrayLength()));
        Assert.Equal((200.00m, "CNY"), (first.GetProperty("outstanding").GetDecimal(), first.GetProperty("currency").GetString()));
        Assert.Equal(1000m, second.GetProperty("outstanding").GetDecimal());
    }

    [Fact]
    public async Task QuotedCsvFieldsKeepTheirCommasQuotesAndLineBreaks()
    {
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10).ToString("yyyy-MM-dd");
        var csv = $$"""
            id,phone,locale,timeZones,region,debtId,amountDue,currency,dueDate,name
            q-1,+8613912345678,zh-CN,"Asia/Shanghai","CN","loan, ""A"" 1","150.50",CNY,{{due}},"Wang, ""Lily""
            Room 2"
            q-2,+8613912345679,zh-CN,Asia/Shanghai,CN,loan-2,10,CNY,2026/12/01,
            q-3,+8613912345670,zh-CN,Asia/Shanghai,CN,loan-3,10,CNY,{{due}},"Zhao ""Jr."", Ming"

            """.ReplaceLineEndings("\n");

        var read = await ReadCsvAsync(csv);
        var response = await PostAsync(csv, "text/csv");
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(summary.GetProperty("errors").EnumerateArray());

        Assert.Equal(new[] { "q-1", "q-2", "q-3" }, read.Select(b => b.Id));
        Assert.Equal("Wang, \"Lily\"\nRoom 2", read[0].Name);
        Assert.Equal(("loan, \"A\" 1", 150.50m), (read[0].Debts![0].DebtId, read[0].Debts![0].AmountDue));
        Assert.Equal("Zhao \"Jr.\", Ming", read[2].Name);
        Assert.Equal((5, 2, 1), (summary.GetProperty("lines").GetInt32(), summary.GetProperty("accepted").GetInt32(), summary.GetProperty("rejected").GetInt32()));
        Assert.Equal((4, "q-2", "dueDate"), (error.GetProperty("line").GetInt32(), error.GetProperty("borrowerId").GetString(), error.GetProperty("problems")[0].GetProperty("field").GetString()));
        Assert.Equal(150.50m, (await StatusAsync("q-1")).GetProperty("outstanding").GetDecimal());
    }

    [Fact]
    public async Task BadCsvRowsAreReportedWithTheirLineAndColumnAndTheOthersAreImported()
    {
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10).ToString("yyyy-MM-dd");
        string Row(string id, string phone, string debtId = "l1", string amount = "100", string date = "", string name = "") =>
            $"{id},{phone},zh-CN,Asia/Shanghai,CN,{debtId},{amount},CNY,{(date.Length > 0 ? date : due)},{name}";
        var csv = string.Join("\n",
            "id,phone,locale,timeZones,region,debtId,amountDue,currency,dueDate,name",
            Row("e-1", "+8613900000001"),
            Row("e-2", "+8613900000002", amount: "\"12,5\""),
            Row("e-3", "+8613900000003", date: "2026/12/01"),
            $"e-4,+8613900000004,zh-CN,Asia/Shanghai,CN,l1,100,CNY,{due}",
            Row("e-5", "+8613900000005", name: "Li\"Na"),
            Row("e-6", ""),
            Row("e-7", "+8613900000007"),
            $"e-7,,,,,l2,50,,{due},",
            Row("e-8", "+8613900000008"),
            $"e-8,+8613900000009,,,,l2,50,CNY,{due},",
            Row("e-9", "+8613900000010"),
            Row("e-1", "+8613900000001", debtId: "l9"),
            Row("e-10", "+8613900000011", amount: "-5"),
            ",,,,,,,,,");

        var response = await PostAsync(csv, "text/csv");
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = summary.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("line").GetInt32(),
            e => string.Join("; ", e.GetProperty("problems").EnumerateArray().Select(p => $"{p.GetProperty("field").GetString()}: {p.GetProperty("message").GetString()}")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((15, 2, 9), (summary.GetProperty("lines").GetInt32(), summary.GetProperty("accepted").GetInt32(), summary.GetProperty("rejected").GetInt32()));
        Assert.Equal(new[] { 3, 4, 5, 6, 7, 9, 11, 13, 14 }, errors.Keys.Order());
        Assert.StartsWith("amountDue: is not a number", errors[3], StringComparison.Ordinal);
        Assert.Equal("dueDate: is not a date (yyyy-MM-dd)", errors[4]);
        Assert.Equal("row: has 9 fields, the header has 10", errors[5]);
        Assert.StartsWith("name: has a quote inside a value", errors[6], StringComparison.Ordinal);
        Assert.Equal("phone: is required", errors[7]);
        Assert.Equal("currency: is required", errors[9]);
        Assert.StartsWith("phone: differs from line 10", errors[11], StringComparison.Ordinal);
        Assert.StartsWith("id: this borrower already had rows from line 2", errors[13], StringComparison.Ordinal);
        Assert.StartsWith("amountDue: must be greater than zero", errors[14], StringComparison.Ordinal);
        Assert.Equal(100m, (await StatusAsync("e-1")).GetProperty("outstanding").GetDecimal());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("e-9")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("e-7")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("e-8")).StatusCode);
    }

    [Theory]
    [InlineData("id,phone,locale,timeZones,region,nmae,debtId,amountDue,currency,dueDate\ncsv-x,+8613912345678,zh-CN,Asia/Shanghai,CN,Li,l1,1,CNY,2030-01-01\n", "'nmae'")]
    [InlineData("id,phone,locale,timeZones,debtId,amountDue,currency\ncsv-x,+8613912345678,zh-CN,Asia/Shanghai,l1,1,CNY\n", "missing required column 'region', 'dueDate'")]
    [InlineData("id,phone,phone,locale,timeZones,region,debtId,amountDue,currency,dueDate\n", "'phone' appears more than once")]
    [InlineData("", "a header row naming the columns is required")]
    public async Task ACsvHeaderWithAnUnknownOrMissingColumnIsRefusedNamingIt(string csv, string named)
    {
        var response = await PostAsync(csv, "text/csv");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("header", problem.GetProperty("field").GetString());
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("csv-x")).StatusCode);
    }

    [Fact]
    public async Task RandomCsvRowsAreReportedNeverAnsweredWithA500()
    {
        var random = new Random(20261124);
        var rows = Enumerable.Range(0, 40).Select(_ =>
        {
            var bytes = new byte[random.Next(1, 120)];
            random.NextBytes(bytes);
            return "r" + Encoding.Latin1.GetString(bytes).Replace('\n', ' ').Replace('\r', ' ');
        });

        var response = await PostAsync("id,phone,locale,timeZones,region,debtId,amountDue,currency,dueDate\n" + string.Join("\n", rows), "text/csv");
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, summary.GetProperty("accepted").GetInt32());
        Assert.True(summary.GetProperty("rejected").GetInt32() > 0);
        Assert.All(summary.GetProperty("errors").EnumerateArray(), e => Assert.InRange(e.GetProperty("line").GetInt32(), 2, summary.GetProperty("lines").GetInt32()));
    }

    [Fact]
    public async Task TheImportEndpointDocumentsItsCsvColumns()
    {
        var document = await _host.Http.GetFromJsonAsync<JsonElement>(new Uri(_host.BaseAddress, "/openapi/v1.json"));
        var import = document.GetProperty("paths").GetProperty("/borrowers/import").GetProperty("post");

        Assert.Contains("text/csv", import.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("risk.lateShareLast12Months", import.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    private static async Task<List<ImportLine>> ReadCsvAsync(string csv)
    {
        await using var reader = CsvImport.Open(new MemoryStream(Encoding.UTF8.GetBytes(csv)), maxDebts: 200, maxRecordBytes: 256 * 1024);
        Assert.Null(await reader.ReadHeaderAsync(CancellationToken.None));
        var borrowers = Channel.CreateUnbounded<CsvBorrower>();
        await reader.ReadAsync(borrowers.Writer, CancellationToken.None);
        borrowers.Writer.Complete();
        return await borrowers.Reader.ReadAllAsync().Select(b => b.ToImportLine()).ToListAsync();
    }

    private async Task<JsonElement> StatusAsync(string id)
    {
        using var response = await GetAsync(id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<HttpResponseMessage> GetAsync(string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_host.BaseAddress, $"/borrowers/{id}"));
        request.Headers.Add(ApiKeyAuthenticationHandler.Header, "ingest-key");
        return await _host.Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.BaseAddress, "/borrowers/import"))
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        request.Headers.Add(ApiKeyAuthenticationHandler.Header, "ingest-key");
        return await _host.Http.SendAsync(request);
    }
}
