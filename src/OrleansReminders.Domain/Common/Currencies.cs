namespace OrleansReminders.Domain.Common;

/// <summary>
/// The ISO 4217 codes a debt or payment may be in: the circulating currencies of the ISO 4217 list
/// (amendments to 2025). Not accepted: the test and "no currency" codes (XTS, XXX), precious metals
/// (XAU, XAG, XPT, XPD), bond-market units and special drawing rights (XBA–XBD, XDR, XSU, XUA), fund codes
/// (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW) and withdrawn codes.
/// </summary>
public static class Currencies
{
    /// <summary>No configured maximum may exceed this: 200 debts at this amount still sum far inside decimal's range.</summary>
    public const decimal AbsoluteMaxAmount = 1_000_000_000_000_000m;

    private static readonly HashSet<string> Codes = new(
    [
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN",
        "BAM", "BBD", "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
        "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK",
        "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR",
        "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD",
        "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK",
        "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT",
        "LAK", "LBP", "LKR", "LRD", "LSL", "LYD",
        "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN",
        "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR",
        "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR",
        "RON", "RSD", "RUB", "RWF",
        "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL",
        "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS",
        "UAH", "UGX", "USD", "UYU", "UZS", "VED", "VES", "VND", "VUV", "WST",
        "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
    ], StringComparer.Ordinal);

    /// <summary>The accepted codes, sorted.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Codes.Order(StringComparer.Ordinal)];

    /// <summary>True for an accepted code, exactly as listed (upper case).</summary>
    public static bool IsKnown(string? code) => code is { Length: 3 } && Codes.Contains(code);
}
