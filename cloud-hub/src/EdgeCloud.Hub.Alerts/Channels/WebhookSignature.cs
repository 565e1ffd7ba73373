using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EdgeCloud.Hub.Alerts.Channels;

/// <summary>
/// The webhook signature: <c>X-EdgeCloud-Signature: sha256=</c> + lower-case hex of HMAC-SHA256 with the channel's
/// secret over <c>{timestamp}.{body}</c>, where the timestamp is the <c>X-EdgeCloud-Timestamp</c> header (Unix
/// seconds). Signing the timestamp lets a receiver refuse replays: it recomputes the signature, compares in
/// constant time, and refuses a timestamp more than <see cref="ReplayWindow"/> from its own clock.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header carrying the signature.</summary>
    public const string SignatureHeader = "X-EdgeCloud-Signature";

    /// <summary>The header carrying the signed timestamp.</summary>
    public const string TimestampHeader = "X-EdgeCloud-Timestamp";

    /// <summary>How far a receiver should let the timestamp be from its clock (documented for receivers).</summary>
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    /// <summary>The signature header value for <paramref name="body"/> sent at <paramref name="unixSeconds"/>.</summary>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>True when <paramref name="signature"/> is the one <paramref name="secret"/> makes (constant-time comparison).</summary>
    public static bool Verify(string secret, long unixSeconds, ReadOnlySpan<byte> body, string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, unixSeconds, body)), Encoding.ASCII.GetBytes(signature));
    }
}
