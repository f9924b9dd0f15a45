using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansReminders.Silo.Tests.Api;

/// <summary>
/// The OpenAPI document is complete enough to generate a client from: every answer and body has a schema, every
/// refusal is Problem Details, secured operations name the API-key scheme and their role, and the checked-in copy
/// (src/OrleansReminders.Silo/openapi/v1.json, for clients without a running service) is the one the service serves.
/// </summary>
public sealed class OpenApiDocumentTests(ApiHostFixture api) : IClassFixture<ApiHostFixture>
{
    /// <summary>Set to 1 to write the served document over the checked-in one.</summary>
    public const string WriteVariable = "ORLEANSREMINDERS_WRITE_OPENAPI";

    [Fact]
    public async Task EveryAnswerOfEveryOperationHasASchema()
    {
        var missing = new List<string>();
        foreach (var (name, operation) in Operations(await ServedAsync()))
        {
            var responses = operation["responses"]!.AsObject();
            if (!responses.Any(r => r.Key.StartsWith('2')))
            {
                missing.Add($"{name}: no 2xx answer");
            }

            foreach (var (status, response) in responses)
            {
                if (status is "204" or "304")
                {
                    continue; // no body by definition
                }

                var content = response!["content"]?.AsObject();
                if (content is null || content.Count == 0 || content.Any(c => c.Value!["schema"] is null))
                {
                    missing.Add($"{name} {status}: no schema");
                }
                else if (status[0] is '4' or '5' && !content.ContainsKey("application/problem+json"))
                {
                    missing.Add($"{name} {status}: not Problem Details");
                }
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public async Task EveryWriteDescribesItsBodyAndTheJsonOnesGiveAnExample()
    {
        var missing = new List<string>();
        foreach (var (name, operation) in Operations(await ServedAsync()).Where(o => o.Name.Split(' ')[0] is "PUT" or "POST"))
        {
            if (name.EndsWith("/approve", StringComparison.Ordinal) || name.EndsWith("/retire", StringComparison.Ordinal) || name == "PUT /simulated/fault")
            {
                continue; // no body: the path (and query) says it all
            }

            var content = operation["requestBody"]?["content"]?.AsObject();
            if (content is null || content.Any(c => c.Value!["schema"] is null))
            {
                missing.Add($"{name}: no body schema");
            }
            else if (content.TryGetPropertyValue("application/json", out var json) && json!["example"] is null && !name.StartsWith("POST /webhooks", StringComparison.Ordinal))
            {
                missing.Add($"{name}: no example");
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public async Task SecuredOperationsNameTheKeySchemeAndTheirRole()
    {
        var document = await ServedAsync();
        var scheme = document["components"]!["securitySchemes"]!["apiKey"]!;
        Assert.Equal("apiKey", scheme["type"]!.GetValue<string>());
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", scheme["name"]!.GetValue<string>());

        foreach (var (name, operation) in Operations(document).Where(o => !o.Name.Contains(" /webhooks/", StringComparison.Ordinal)))
        {
            Assert.True(operation["security"]?.AsArray().Any(r => r!.AsObject().ContainsKey("apiKey")) == true, $"{name}: no security requirement");
            Assert.Contains("Role: ", operation["description"]?.GetValue<string>() ?? "", StringComparison.Ordinal);
            Assert.NotNull(operation["responses"]!["401"]);
            Assert.NotNull(operation["responses"]!["403"]);
        }
    }

    [Fact]
    public async Task TheCheckedInDocumentIsTheServedOne()
    {
        var served = Normalized(await ServedAsync());
        var path = Path.Combine(RepositoryRoot(), "src", "OrleansReminders.Silo", "openapi", "v1.json");
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, served + "\n");
        }

        var checkedIn = File.Exists(path) ? Normalized(JsonNode.Parse(await File.ReadAllTextAsync(path))!) : "(missing)";
        Assert.True(checkedIn == served,
            $"{path} is not the document the service serves. Regenerate it: {WriteVariable}=1 dotnet test tests/OrleansReminders.Silo.Tests --filter {nameof(TheCheckedInDocumentIsTheServedOne)}");
    }

    private async Task<JsonNode> ServedAsync()
    {
        var text = await api.Host.Http.GetStringAsync(new Uri(api.BaseAddress, "/openapi/v1.json"));
        return JsonNode.Parse(text)!;
    }

    /// <summary>The document without its <c>servers</c> (the address the request came to), indented.</summary>
    private static string Normalized(JsonNode document)
    {
        var copy = document.DeepClone().AsObject();
        copy.Remove("servers");
        return copy.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static IEnumerable<(string Name, JsonNode Operation)> Operations(JsonNode document) =>
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        select ($"{operation.Key.ToUpperInvariant()} {path.Key}", operation.Value!);

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "OrleansReminders.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("OrleansReminders.sln not found above " + AppContext.BaseDirectory);
    }
}
