using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Silo.Endpoints;

/// <summary>
/// Compile-time JSON metadata for the hottest answer, a borrower's status: written without reflection
/// (same names and shapes as the reflection-based default, camelCase).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BorrowerStatus))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
