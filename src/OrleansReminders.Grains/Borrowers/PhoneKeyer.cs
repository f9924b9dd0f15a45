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
}
