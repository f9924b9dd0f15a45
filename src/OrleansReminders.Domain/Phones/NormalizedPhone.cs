namespace OrleansReminders.Domain.Phones;

/// <summary>A valid number in E.164 form.</summary>
/// <param name="E164">For example <c>+8613812345678</c>.</param>
/// <param name="RegionCode">ISO 3166 region of the number (<c>CN</c>, <c>US</c>, <c>IN</c>), which may differ from the default region.</param>
/// <param name="LineType">Line type from the numbering plan.</param>
public sealed record NormalizedPhone(string E164, string RegionCode, PhoneLineType LineType)
{
    /// <summary>The number masked for logs (see <see cref="PhoneNormalizer.Mask"/>).</summary>
    public string Masked => PhoneNormalizer.Mask(E164);

    public override string ToString() => Masked;
}
