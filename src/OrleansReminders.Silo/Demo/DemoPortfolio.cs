using Bogus;
using OrleansReminders.Contracts.Borrowers;

namespace OrleansReminders.Silo.Demo;

/// <summary>
/// A synthetic portfolio (Bogus, seeded): borrowers in China, the US and India, in several time zones,
/// with debts due from twelve days ago to eight days ahead and risk inputs spread over the tiers.
/// </summary>
public static class DemoPortfolio
{
    private static readonly (string Region, string Locale, string Currency, string[] Zones, double Share)[] Regions =
    [
        ("CN", "zh-CN", "CNY", ["Asia/Shanghai", "Asia/Urumqi"], 0.5),
        ("US", "en-US", "USD", ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"], 0.35),
        ("IN", "en-IN", "INR", ["Asia/Kolkata"], 0.15),
    ];

    public static IEnumerable<(string Id, BorrowerUpsert Upsert)> Generate(int count, int seed, DateOnly today)
    {
        var faker = new Faker { Random = new Randomizer(seed) };
        for (var i = 1; i <= count; i++)
        {
            var pick = faker.Random.Double();
            var region = pick < Regions[0].Share ? Regions[0] : pick < Regions[0].Share + Regions[1].Share ? Regions[1] : Regions[2];
            var zone = faker.PickRandom(region.Zones);
            var phone = region.Region switch
            {
                "CN" => "+86139" + faker.Random.ReplaceNumbers("########"),
                "US" => "+1" + faker.PickRandom("212", "312", "415", "617", "303") + faker.Random.Number(200, 999) + faker.Random.ReplaceNumbers("####"),
                _ => "+919" + faker.Random.ReplaceNumbers("#########"),
            };
            var amount = Math.Round(faker.Random.Decimal(300, 20_000), 0);
            var due = today.AddDays(faker.Random.Number(-12, 8));
            var risk = new RiskInput(Math.Round(faker.Random.Decimal(0, 0.7m), 2), faker.Random.Number(0, 4), faker.Random.Bool(0.6f) ? faker.Random.Number(450, 820) : null);
            yield return ($"demo-{i:D6}", new BorrowerUpsert(phone, region.Locale, [zone], region.Region,
                [new DebtInput("loan-" + i, amount, region.Currency, due)], Name: faker.Name.FullName(), Risk: risk));
        }
    }
}
