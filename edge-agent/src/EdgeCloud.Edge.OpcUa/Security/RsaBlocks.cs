using System.Security.Cryptography;

namespace EdgeCloud.Edge.OpcUa.Security;

/// <summary>RSA encryption of data longer than one block: each block of plain text becomes one block of key size (OPC 10000-6 §6.7.5).</summary>
internal static class RsaBlocks
{
    /// <summary>Plain-text bytes one RSA block holds under <paramref name="padding"/>.</summary>
    public static int PlainBlockSize(RSA rsa, RSAEncryptionPadding padding)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        var keyBytes = rsa.KeySize / 8;
        return padding == RSAEncryptionPadding.Pkcs1 ? keyBytes - 11
            : padding == RSAEncryptionPadding.OaepSHA256 ? keyBytes - 66
            : keyBytes - 42;
    }

    public static byte[] Encrypt(RSA rsa, ReadOnlySpan<byte> plain, RSAEncryptionPadding padding)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        var block = PlainBlockSize(rsa, padding);
        var keyBytes = rsa.KeySize / 8;
        var count = (plain.Length + block - 1) / block;
        var output = new byte[count * keyBytes];
        for (var i = 0; i < count; i++)
        {
            var piece = plain.Slice(i * block, Math.Min(block, plain.Length - (i * block)));
            if (!rsa.TryEncrypt(piece, output.AsSpan(i * keyBytes, keyBytes), padding, out var written) || written != keyBytes)
            {
                throw new CryptographicException("RSA encryption produced an unexpected block size");
            }
        }

        return output;
    }

    public static byte[] Decrypt(RSA rsa, ReadOnlySpan<byte> cipher, RSAEncryptionPadding padding)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        var keyBytes = rsa.KeySize / 8;
        if (cipher.Length % keyBytes != 0)
        {
            throw new UaStatusException(StatusCodes.BadSecurityChecksFailed, "encrypted data is not a whole number of RSA blocks");
        }

        using var output = new MemoryStream(cipher.Length);
        for (var i = 0; i < cipher.Length; i += keyBytes)
        {
            output.Write(rsa.Decrypt(cipher.Slice(i, keyBytes).ToArray(), padding));
        }

        return output.ToArray();
    }
}
