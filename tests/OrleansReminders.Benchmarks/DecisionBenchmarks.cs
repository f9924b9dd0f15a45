using BenchmarkDotNet.Attributes;
using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Policy;
using OrleansReminders.Domain.Strategy;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Benchmarks;

/// <summary>
/// "What may I send now" for one borrower: the ladder's next step, the contact policy at this instant
/// (and, when refused, the next allowed instant with its send-by deadline), the template of the
/// borrower's A/B variant, rendered. The borrower has two candidate time zones and 20 past contacts.
/// <see cref="LadderNext"/> alone is the baseline.
/// </summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private static readonly LocalDate DueDate = new(2026, 3, 2);

    private readonly CollectionStrategy _strategy = CollectionStrategy.Default;
    private readonly ContactPolicy _policy = ContactPolicy.CreateDefault();
    private readonly TemplateRenderer _renderer = new();
    private readonly LadderState _ladderState = new(LastStepIndex: 2);
    private readonly TemplateValues _values = new("Maria Lopez", 812.40m, "USD", DueDate, 3, "card or bank transfer", "+1 800 555 0100");
    private readonly Experiment _experiment = new("overdue-copy-2026", [new VariantWeight("default", 1), new VariantWeight("b", 1)]);
    private ContactProfile _profile = null!;
    private List<ContactRecord> _history = null!;
    private List<MessageTemplate> _templates = null!;
    private Instant _afternoon;
    private Instant _lateEvening;

    [GlobalSetup]
    public void Setup()
    {
        _profile = new ContactProfile
        {
            TimeZoneIds = ["America/New_York", "America/Chicago"],
            Region = "US",
            Jurisdiction = "US",
        };
        var start = Instant.FromUtc(2026, 2, 1, 15, 0);
        _history = Enumerable.Range(0, 20)
            .Select(i => new ContactRecord(i % 4 == 0 ? Channel.Call : Channel.Sms, start + Duration.FromHours(30 * i)))
            .ToList();
        _afternoon = Instant.FromUtc(2026, 3, 5, 19, 0);    // 14:00 in New York
        _lateEvening = Instant.FromUtc(2026, 3, 6, 3, 30);  // 22:30 in New York: quiet hours
        var linter = new TemplateLinter();
        var options = new TemplateLintOptions { BrandSignature = "Acme Finance", RequireOptOutHint = true };
        _templates = new[] { "default", "b" }.Select(variant => MessageTemplate
                .CreateDraft(new TemplateKey("overdue.first", RiskTier.Medium, "en-US", variant),
                    "Hi {{name}}, {{amount}} was due on {{dueDate}}. Pay via {{repaymentMethods}} or call {{hotline}}. Reply STOP to opt out. Acme Finance", 2)
                .Approve("bench", start, linter, options).Template)
            .ToList();
        if (Decide(_lateEvening) is null || Decide(_afternoon) is null)
        {
            throw new InvalidOperationException("benchmark set-up does not reach a decision");
        }
    }

    [Benchmark(Baseline = true)]
    public LadderDecision LadderNext() => Ladder.Next(_strategy, RiskTier.Medium, DueDate, _ladderState, new LocalDate(2026, 3, 5));

    [Benchmark]
    public PolicyDecision PolicyEvaluate() => _policy.Evaluate(_profile, _history, new ContactProposal(_afternoon, Channel.Sms));

    [Benchmark]
    public NextAllowedResult PolicyNextAllowedFromQuietHours() =>
        _policy.NextAllowed(_profile, _history, new ContactProposal(_lateEvening, Channel.Sms));

    [Benchmark]
    public RenderedMessage? FullDecisionAllowedNow() => Decide(_afternoon);

    [Benchmark]
    public RenderedMessage? FullDecisionHeldUntilMorning() => Decide(_lateEvening);

    private RenderedMessage? Decide(Instant now)
    {
        var today = now.InZone(DateTimeZoneProviders.Tzdb["America/New_York"]).Date;
        if (Ladder.Next(_strategy, RiskTier.Medium, DueDate, _ladderState, today) is not SendLadderStep step)
        {
            return null;
        }

        var proposal = new ContactProposal(now, step.Step.Channel);
        var decision = _policy.Evaluate(_profile, _history, proposal);
        if (!decision.Allowed && !_policy.NextAllowed(_profile, _history, proposal).Found)
        {
            return null;
        }

        var template = TemplateSelector.Select(_templates, step.Step.TemplateKey, RiskTier.Medium, "en-US", "borrower-42", _experiment);
        return template is null ? null : _renderer.RenderForSending(template, _values);
    }
}
