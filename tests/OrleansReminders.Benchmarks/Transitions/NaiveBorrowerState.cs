namespace OrleansReminders.Benchmarks.Transitions;

/// <summary>
/// State of comparable size to a borrower's: a small profile, two debts and a bounded contact history.
/// The history is filled to its bound on first use, so the stored document keeps one size for the whole run.
/// </summary>
[GenerateSerializer]
public sealed class NaiveBorrowerState
{
    public const int HistoryBound = 4;

    [Id(0)] public int Step { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public string Phone { get; set; } = "";
    [Id(3)] public string Tier { get; set; } = "";
    [Id(4)] public string Locale { get; set; } = "";
    [Id(5)] public string TimeZone { get; set; } = "";
    [Id(6)] public List<NaiveDebt> Debts { get; set; } = [];
    [Id(7)] public List<NaiveContact> History { get; set; } = [];
    [Id(8)] public DateTimeOffset NextActionAt { get; set; }
}

[GenerateSerializer]
public sealed class NaiveDebt
{
    [Id(0)] public string DebtId { get; set; } = "";
    [Id(1)] public decimal Amount { get; set; }
    [Id(2)] public string Currency { get; set; } = "";
    [Id(3)] public DateOnly DueDate { get; set; }
}

[GenerateSerializer]
public sealed class NaiveContact
{
    [Id(0)] public int Step { get; set; }
    [Id(1)] public DateTimeOffset At { get; set; }
    [Id(2)] public string Channel { get; set; } = "";
    [Id(3)] public string Template { get; set; } = "";
    [Id(4)] public string Outcome { get; set; } = "";
}
