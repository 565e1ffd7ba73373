using System.Security.Cryptography;

namespace EdgeCloud.Edge.OpcUa.Security;

/// <summary>The P_SHA256 pseudo-random function of RFC 5246 §5, which OPC 10000-6 §6.7.5 uses to derive channel keys from the nonces.</summary>
internal static class PSha256
{
    public static byte[] Derive(byte[] secret, byte[] seed, int length)
    {
        var output = new byte[length];
        var a = HMACSHA256.HashData(secret, seed); // A(1)
        var written = 0;
        var buffer = new byte[a.Length + seed.Length];
        while (written < length)
        {
            a.CopyTo(buffer, 0);
            seed.CopyTo(buffer, a.Length);
            var block = HMACSHA256.HashData(secret, buffer);
            var take = Math.Min(block.Length, length - written);
            block.AsSpan(0, take).CopyTo(output.AsSpan(written));
            written += take;
            a = HMACSHA256.HashData(secret, a); // A(i+1)
        }

        return output;
    }
}
