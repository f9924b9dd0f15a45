namespace OrleansReminders.Silo.Endpoints;

// The API's request bodies. Every member is nullable: a missing field is answered with a Problem Details
// body naming it, not with a binder exception. They map onto the grain contracts once checked.

/// <summary>PUT /borrowers/{id}: profile and debts.</summary>
public sealed record UpsertBorrowerRequest(
    string? Phone,
    string? Locale,
    List<string>? TimeZones,
    string? Region,
    List<DebtRequest>? Debts,
    string? Name = null,
    string? Jurisdiction = null,
    DateOnly? Birthday = null,
    string? Segment = null,
    string? PaymentSegment = null,
    bool? IsNewCustomer = null,
    RiskRequest? Risk = null);

public sealed record DebtRequest(string? DebtId, decimal? AmountDue, string? Currency, DateOnly? DueDate);

public sealed record RiskRequest(decimal? LateShareLast12Months, int? PriorDelinquencies, int? CreditScore = null);

/// <summary>POST /borrowers/{id}/payments.</summary>
public sealed record PaymentRequest(string? PaymentId, decimal? Amount, string? Currency, DateTimeOffset? ReceivedAt = null);

/// <summary>POST /borrowers/{id}/promises: a promise to pay or an agreed plan until a date.</summary>
public sealed record PromiseRequest(DateOnly? Until, string? Kind, string? Reason = null);

/// <summary>POST /borrowers/{id}/pause and /resume.</summary>
public sealed record OpsActionRequest(string? Reason);

/// <summary>POST /borrowers/{id}/escalation.</summary>
public sealed record ReassignRequest(int? Level, string? Reason);

/// <summary>PUT /templates/{stage}/{tier}/{locale}/{variant}: a draft's text and its segment maximum (default 2).</summary>
public sealed record TemplateDraftRequest(string? Body, int? MaxSegments);
