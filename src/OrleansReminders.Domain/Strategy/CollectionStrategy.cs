using System.Reflection;
using System.Text.Json;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Strategy;

/// <summary>
/// The whole collection strategy: one escalation ladder per risk tier, the unanswered-escalation rule,
/// the new-customer buffer, payment-segment settings and the (raw) contact-policy section.
/// Bound from JSON with <see cref="Parse"/>; the shipped default is <see cref="Default"/>
/// (embedded <c>Data/Strategy/strategy.default.json</c>).
/// </summary>
/// <param name="Tiers">A ladder for every <see cref="RiskTier"/>.</param>
/// <param name="Escalation">Root escalation rule (tiers may override it; see <see cref="TierLadder.Escalation"/>).</param>
/// <param name="Segments">Settings per payment segment; a missing segment is <see cref="SegmentSettings.Neutral"/>.</param>
/// <param name="NewCustomerBufferDays">Root new-customer buffer (tiers may override it).</param>
/// <param name="ContactPolicy">The <c>contactPolicy</c> section, kept raw and not validated here.</param>
public sealed record CollectionStrategy(
    IReadOnlyDictionary<RiskTier, TierLadder> Tiers,
    EscalationRule Escalation,
    IReadOnlyDictionary<PaymentSegment, SegmentSettings> Segments,
    int NewCustomerBufferDays,
    JsonElement? ContactPolicy)
{
    /// <summary>Manifest name of the embedded default strategy.</summary>
    public const string DefaultResourceName = "OrleansReminders.Domain.Data.Strategy.strategy.default.json";

    private static readonly Lazy<string> LazyDefaultJson = new(ReadDefaultJson);
    private static readonly Lazy<CollectionStrategy> LazyDefault = new(() => Parse(LazyDefaultJson.Value));

    /// <summary>Text of the shipped default strategy.</summary>
    public static string DefaultJson => LazyDefaultJson.Value;

    /// <summary>The shipped default strategy (DESIGN.md numbers).</summary>
    public static CollectionStrategy Default => LazyDefault.Value;

    /// <summary>
    /// Parses and validates strategy JSON (camelCase, comments and trailing commas allowed).
    /// </summary>
    /// <exception cref="DomainValidationException">Every problem found, each with its JSON path.</exception>
    public static CollectionStrategy Parse(string json) => StrategyParser.Parse(json);

    /// <summary>The ladder of a tier.</summary>
    public TierLadder LadderFor(RiskTier tier) => Tiers[tier];

    /// <summary>The settings of a payment segment (neutral when not configured).</summary>
    public SegmentSettings SettingsFor(PaymentSegment segment) =>
        Segments.TryGetValue(segment, out var settings) ? settings : SegmentSettings.Neutral;

    private static string ReadDefaultJson()
    {
        using var stream = typeof(CollectionStrategy).Assembly.GetManifestResourceStream(DefaultResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {DefaultResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
