using NodaTime;
using OrleansReminders.Domain.Common;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Benchmarks.Templates;

/// <summary>The two approved bodies and the values every template benchmark renders.</summary>
internal static class BenchTemplates
{
    public const string EnglishBody =
        "Hi {{name}}, your payment of {{amount}} was due on {{dueDate}} and is now {{daysOverdue}} days overdue. " +
        "Pay via {{repaymentMethods}} or call {{hotline}}. Reply STOP to opt out. Acme Finance";

    public const string ChineseBody =
        "【Acme金融】{{name}}您好，您于{{dueDate}}到期的{{amount}}已逾期{{daysOverdue}}天，请通过{{repaymentMethods}}还款，客服{{hotline}}。回复TD退订";

    public static readonly TemplateLintOptions LintOptions = new() { BrandSignature = "Acme Finance", RequireOptOutHint = true };

    public static readonly TemplateValues Values = new("Li Wei", 1234.50m, "CNY", new LocalDate(2026, 3, 9), 7, "Alipay, bank transfer", "400-800-1234");

    public static MessageTemplate Approved(string body, string locale, TemplateLinter linter)
    {
        var draft = MessageTemplate.CreateDraft(new TemplateKey("overdue.first", RiskTier.Medium, locale, TemplateKey.DefaultVariant), body, maxSegments: 3);
        var approval = draft.Approve("bench", Instant.FromUtc(2026, 1, 1, 0, 0), linter, LintOptions with { BrandSignature = locale == "zh-CN" ? null : "Acme Finance" });
        return approval.IsApproved
            ? approval.Template
            : throw new InvalidOperationException("benchmark template did not pass lint: " + string.Join("; ", approval.Report.Errors.Select(e => e.Message)));
    }
}
