using System.Security.Cryptography;

namespace EdgeCloud.Edge.OpcUa.Security;

/// <summary>Protecting and verifying chunks (OPC 10000-6 §6.7.2.3 padding, signature, encryption).</summary>
internal sealed partial class RsaAesSecurity
{
    public override byte[] Protect(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> plainText, bool asymmetric, uint tokenId) =>
        asymmetric ? ProtectAsymmetric(headers, plainText) : ProtectSymmetric(headers, plainText, tokenId);

    public override ArraySegment<byte> Unprotect(byte[] chunk, int headerLength, bool asymmetric, uint tokenId) =>
        asymmetric ? UnprotectAsymmetric(chunk, headerLength) : UnprotectSymmetric(chunk, headerLength, tokenId);

    private byte[] ProtectAsymmetric(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> plainText)
    {
        var cipherBlock = _remoteKey.KeySize / 8;
        var plainBlock = cipherBlock - 42;
        var signatureSize = _localKey.KeySize / 8;
        var extra = cipherBlock > 256;
        var unpadded = plainText.Length + 1 + (extra ? 1 : 0) + signatureSize;
        var paddingSize = (plainBlock - (unpadded % plainBlock)) % plainBlock;
        var toEncrypt = new byte[unpadded + paddingSize];
        plainText.CopyTo(toEncrypt);
        WritePadding(toEncrypt.AsSpan(plainText.Length), paddingSize, extra);
        var signedLength = toEncrypt.Length - signatureSize;

        var header = headers.ToArray();
        PatchSize(header, header.Length + (toEncrypt.Length / plainBlock * cipherBlock));
        var signature = _localKey.SignData([.. header, .. toEncrypt.AsSpan(0, signedLength)], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        signature.CopyTo(toEncrypt, signedLength);
        return [.. header, .. RsaBlocks.Encrypt(_remoteKey, toEncrypt, RSAEncryptionPadding.OaepSHA1)];
    }

    private ArraySegment<byte> UnprotectAsymmetric(byte[] chunk, int headerLength)
    {
        byte[] plain;
        try
        {
            plain = RsaBlocks.Decrypt(_localKey, chunk.AsSpan(headerLength), RSAEncryptionPadding.OaepSHA1);
        }
        catch (CryptographicException ex)
        {
            throw new UaStatusException(StatusCodes.BadSecurityChecksFailed, "the OpenSecureChannel response does not decrypt with our key", ex);
        }

        var signatureSize = _remoteKey.KeySize / 8;
        if (plain.Length < signatureSize + 1)
        {
            throw new UaStatusException(StatusCodes.BadSecurityChecksFailed, "the OpenSecureChannel response is too short for its signature");
        }

        var signed = plain.Length - signatureSize;
        if (!_remoteKey.VerifyData([.. chunk.AsSpan(0, headerLength), .. plain.AsSpan(0, signed)], plain.AsSpan(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            throw new UaStatusException(StatusCodes.BadSecurityChecksFailed, "the OpenSecureChannel response signature does not verify with the server certificate");
        }

        return StripPadding(plain, signed, _localKey.KeySize > 2048);
    }

    private byte[] ProtectSymmetric(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> plainText, uint tokenId)
    {
        var keys = Keys(tokenId).Client;
        var paddingSize = Encrypts ? (AesBlock - ((plainText.Length + 1 + HmacSize) % AesBlock)) % AesBlock : -1;
        var bodyLength = plainText.Length + paddingSize + 1;
        var chunk = new byte[headers.Length + bodyLength + HmacSize];
        headers.CopyTo(chunk);
        plainText.CopyTo(chunk.AsSpan(headers.Length));
        if (Encrypts)
        {
            WritePadding(chunk.AsSpan(headers.Length + plainText.Length), paddingSize, false);
        }

        PatchSize(chunk, chunk.Length);
        var signedLength = chunk.Length - HmacSize;
        HMACSHA256.HashData(keys.Signing, chunk.AsSpan(0, signedLength), chunk.AsSpan(signedLength));
        if (Encrypts)
        {
            using var aes = Aes.Create();
            aes.Key = keys.Encrypting;
            var encrypted = aes.EncryptCbc(chunk.AsSpan(headers.Length), keys.Iv, PaddingMode.None);
            encrypted.CopyTo(chunk, headers.Length);
        }

        return chunk;
    }

    private ArraySegment<byte> UnprotectSymmetric(byte[] chunk, int headerLength, uint tokenId)
    {
        var keys = Keys(tokenId).Server;
        var data = chunk;
        if (Encrypts)
        {
            if ((chunk.Length - headerLength) % AesBlock != 0)
            {
                throw new UaStatusException(StatusCodes.BadSecurityChecksFailed, "an encrypted chunk is not a whole number of AES blocks");
            }

            using var aes = Aes.Create();
            aes.Key = keys.Encrypting;
            data = new byte[chunk.Length];
            chunk.AsSpan(0, headerLength).CopyTo(data);
            aes.DecryptCbc(chunk.AsSpan(headerLength), keys.Iv, data.AsSpan(headerLength), PaddingMode.None);
        }

        var signed = data.Length - HmacSize;
        if (signed < headerLength)
        {
            throw new UaStatusException(StatusCodes.BadSecurityChecksFailed, "a chunk is too short for its signature");
        }

        var expected = HMACSHA256.HashData(keys.Signing, data.AsSpan(0, signed));
        if (!CryptographicOperations.FixedTimeEquals(expected, data.AsSpan(signed, HmacSize)))
        {
            throw new UaStatusException(StatusCodes.BadSecurityChecksFailed, "a chunk's signature does not verify");
        }

        return Encrypts ? StripPadding(data, signed, false, headerLength) : new ArraySegment<byte>(data, headerLength, signed - headerLength);
    }

    private (SymmetricKeys Client, SymmetricKeys Server) Keys(uint tokenId) =>
        _keys.TryGetValue(tokenId, out var keys) ? keys
            : throw new UaStatusException(StatusCodes.BadSecureChannelTokenUnknown, $"no keys for token {tokenId}");

    /// <summary>Removes the padding that ends at <paramref name="end"/>; checks every padding byte.</summary>
    private static ArraySegment<byte> StripPadding(byte[] data, int end, bool extraByte, int start = 0)
    {
        var paddingSize = (int)data[end - 1];
        var extraLength = 0;
        if (extraByte)
        {
            paddingSize = (data[end - 1] << 8) | data[end - 2];
            extraLength = 1;
        }

        var paddingStart = end - extraLength - paddingSize - 1;
        if (paddingStart < start)
        {
            throw new UaStatusException(StatusCodes.BadSecurityChecksFailed, "a chunk's padding is longer than the chunk");
        }

        for (var i = paddingStart; i < end - extraLength; i++)
        {
            if (data[i] != (byte)paddingSize)
            {
                throw new UaStatusException(StatusCodes.BadSecurityChecksFailed, "a chunk's padding bytes are inconsistent");
            }
        }

        return new ArraySegment<byte>(data, start, paddingStart - start);
    }
}
