using OrleansReminders.Contracts.Borrowers;
using System.Security.Cryptography;
using System.Text;

namespace OrleansReminders.Grains.Borrowers;

/// <summary>
/// Turns a phone number into the key of its <see cref="PhoneDirectoryGrain"/>: an HMAC-SHA256 of the E.164
/// number under a secret (<c>Privacy:PhoneKeySecret</c>). Grain ids appear in Orleans' own logs, storage rows
/// and reminder rows, so they must not be the number itself. A pseudonym, not encryption: keep the secret
/// secret and stable (changing it orphans the directory entries until borrowers are upserted again).
/// </summary>
public sealed class PhoneKeyer(string secret)
{
    public const string DevelopmentSecret = "orleansreminders-development-only";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);

    public string KeyFor(string phoneE164) =>
        "p-" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(phoneE164)))[..40];

    /// <summary>
    /// Inbound replies carry only the number: points the directory at <paramref name="borrowerId"/> for its new
    /// number and releases the old one (nothing when the number did not change).
    /// </summary>
    public async Task MoveAsync(IGrainFactory grains, string borrowerId, string? previousPhone, string phone)
    {
        if (previousPhone == phone)
        {
            return;
        }

        await grains.GetGrain<IPhoneDirectoryGrain>(KeyFor(phone)).AssignAsync(borrowerId);
        if (previousPhone is not null)
        {
            await grains.GetGrain<IPhoneDirectoryGrain>(KeyFor(previousPhone)).ReleaseAsync(borrowerId);
        }
    }
}
