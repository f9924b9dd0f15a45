using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Domain.Tests.Templates;

internal static class TemplateSamples
{
    public static readonly Instant Now = Instant.FromUtc(2025, 3, 1, 9, 0);

    public static readonly TemplateLintOptions EnOptions = new() { BrandSignature = "Acme Finance", RequireOptOutHint = true };

    public static readonly TemplateLintOptions ZhOptions = new() { BrandSignature = "【Acme】" };

    public const string EnBody =
        "Acme Finance: {{name}}, {{amount}} was due {{dueDate}} ({{daysOverdue}} days ago). Pay: {{link}} Help: {{hotline}}. Reply STOP to opt out.";

    public const string ZhBody =
        "【Acme】{{name}}您好，您的借款{{amount}}已于{{dueDate}}到期，已逾期{{daysOverdue}}天。还款方式：{{repaymentMethods}}。客服{{hotline}}，回TD退订";

    public static TemplateValues Values(string currency = "USD") => new(
        "Li Lei", 1234.5m, currency, new LocalDate(2025, 3, 9), 3, "bank transfer", "400-123-4567", "https://pay.example.com/x");

    public static MessageTemplate Draft(string body, string locale = "en-US", int maxSegments = 3, string variant = TemplateKey.DefaultVariant) =>
        MessageTemplate.CreateDraft(new TemplateKey("overdue-d3", RiskTier.Low, locale, variant), body, maxSegments);

    public static MessageTemplate Approved(string body, string locale = "en-US", int maxSegments = 3)
    {
        var options = locale.StartsWith("zh", StringComparison.Ordinal) ? ZhOptions : EnOptions;
        var approval = Draft(body, locale, maxSegments).Approve("reviewer@acme", Now, new TemplateLinter(), options);
        Assert.True(approval.IsApproved, string.Join("; ", approval.Report.Findings));
        return approval.Template;
    }
}
