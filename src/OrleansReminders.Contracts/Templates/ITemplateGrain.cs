using System.Collections.Immutable;
using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Contracts.Templates;

/// <summary>
/// One message template (key: <c>stage/tier/locale/variant</c>) through its lifecycle: draft (edited
/// freely, linted on every change), approved (lint-clean, immutable, with reviewer and time), retired.
/// </summary>
[Alias("OrleansReminders.ITemplateGrain")]
public interface ITemplateGrain : IGrainWithStringKey
{
    /// <summary>Creates the draft, or replaces the body of the current draft (or of a retired template); returns the lint result.</summary>
    [Alias("SaveDraft")]
    Task<TemplateResult> SaveDraftAsync(TemplateDraft draft);

    /// <summary>Approves the draft when it lints without errors; otherwise it stays a draft and the findings say why.</summary>
    [Alias("Approve")]
    Task<TemplateResult> ApproveAsync(string reviewer);

    /// <summary>Retires the approved template for good.</summary>
    [Alias("Retire")]
    Task<TemplateResult> RetireAsync(string by);

    /// <summary>The template, or null when none was ever saved.</summary>
    [Alias("Get"), Orleans.Concurrency.ReadOnly]
    Task<TemplateView?> GetAsync();
}

[GenerateSerializer, Immutable, Alias("OrleansReminders.TemplateDraft")]
public sealed record TemplateDraft([property: Id(0)] string Body, [property: Id(1)] int MaxSegments);

[GenerateSerializer, Immutable, Alias("OrleansReminders.TemplateFinding")]
public sealed record TemplateFinding([property: Id(0)] string Severity, [property: Id(1)] string Code, [property: Id(2)] string Message);

[GenerateSerializer, Immutable, Alias("OrleansReminders.TemplateView")]
public sealed record TemplateView(
    [property: Id(0)] string Key,
    [property: Id(1)] string Body,
    [property: Id(2)] int MaxSegments,
    [property: Id(3)] string Status,
    [property: Id(4)] string? ApprovedBy,
    [property: Id(5)] DateTimeOffset? ApprovedAt,
    [property: Id(6)] string? RetiredBy,
    [property: Id(7)] DateTimeOffset? RetiredAt,
    [property: Id(8)] ImmutableArray<TemplateFinding> Findings);

/// <summary>A lifecycle step's outcome: the template afterwards, or why nothing changed.</summary>
[GenerateSerializer, Immutable, Alias("OrleansReminders.TemplateResult")]
public sealed record TemplateResult(
    [property: Id(0)] CommandOutcome Outcome,
    [property: Id(1)] TemplateView? Template,
    [property: Id(2)] ImmutableArray<FieldProblem> Problems,
    [property: Id(3)] string? Conflict = null);
