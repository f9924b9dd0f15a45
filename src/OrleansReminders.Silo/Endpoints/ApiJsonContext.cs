using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansReminders.Contracts.Borrowers;
using OrleansReminders.Contracts.History;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>
/// The API's one JSON configuration: web defaults (camelCase), members a type does not have refused, metadata
/// generated at compile time for the bodies the API reads and its main answers. <see cref="Configure"/> applies it
/// to ASP.NET Core's options, which every endpoint reads and writes with (the import's lines too).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(BorrowerStatus))]
[JsonSerializable(typeof(ContactEventPage))]
[JsonSerializable(typeof(CommandAnswer))]
[JsonSerializable(typeof(UpsertBorrowerRequest))]
[JsonSerializable(typeof(PaymentRequest))]
[JsonSerializable(typeof(PromiseRequest))]
[JsonSerializable(typeof(OpsActionRequest))]
[JsonSerializable(typeof(ReassignRequest))]
[JsonSerializable(typeof(TemplateDraftRequest))]
[JsonSerializable(typeof(ImportLine))]
internal sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>Makes <paramref name="options"/> the API's configuration.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowTrailingCommas = false;
        options.TypeInfoResolverChain.Insert(0, Default);
    }
}
