using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeCloud.Edge.OpcUa.Security;

/// <summary>
/// SecurityPolicy Basic256Sha256 or Aes128_Sha256_RsaOaep (OPC 10000-7, <see cref="RsaAesPolicy"/>):
/// OpenSecureChannel signed with RSA-PKCS1-v1_5-SHA256 and encrypted with RSA-OAEP-SHA1; other
/// messages signed with HMAC-SHA256 and, in SignAndEncrypt, encrypted with AES-CBC (256 or 128
/// bits) under keys derived by P_SHA256 from both nonces.
/// Invariants: nothing received is decoded before its signature verified; keys are kept per
/// token so messages under the previous token still verify during a renewal.
/// </summary>
internal sealed partial class RsaAesSecurity : ChannelSecurity, IDisposable
{
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    private const int HmacSize = 32;
    private const int AesBlock = 16;
    private readonly X509Certificate2 _local;
    private readonly RsaAesPolicy _policy;
    private readonly RSA _localKey;
    private readonly RSA _remoteKey;
    private readonly ConcurrentDictionary<uint, (SymmetricKeys Client, SymmetricKeys Server)> _keys = new();

    public RsaAesSecurity(RsaAesPolicy policy, X509Certificate2 local, byte[] serverCertificate, MessageSecurityMode mode)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(serverCertificate);
        if (mode is not (MessageSecurityMode.Sign or MessageSecurityMode.SignAndEncrypt))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, policy.Name + " needs Sign or SignAndEncrypt");
        }

        _policy = policy;
        _local = local;
        _localKey = local.GetRSAPrivateKey() ?? throw new ArgumentException("the application certificate has no RSA private key", nameof(local));
        using var remote = X509CertificateLoader.LoadCertificate(serverCertificate);
        _remoteKey = remote.GetRSAPublicKey() ?? throw new UaStatusException(StatusCodes.BadCertificateInvalid, "the server certificate has no RSA key");
        Mode = mode;
        RemoteCertificate = serverCertificate;
        LocalCertificate = local.Export(X509ContentType.Cert);
        RemoteThumbprint = Convert.FromHexString(UaCertificateStore.Thumbprint(serverCertificate));
    }

    public override string PolicyUri => _policy.Uri;

    public override MessageSecurityMode Mode { get; }

    public override byte[]? LocalCertificate { get; }

    public override byte[]? RemoteThumbprint { get; }

    public override byte[]? RemoteCertificate { get; }

    private bool Encrypts => Mode == MessageSecurityMode.SignAndEncrypt;

    public override byte[] CreateNonce() => RandomNumberGenerator.GetBytes(RsaAesPolicy.NonceLength);

    public override void OnTokenIssued(uint tokenId, byte[] clientNonce, byte[]? serverNonce)
    {
        if (serverNonce is not { Length: RsaAesPolicy.NonceLength })
        {
            throw new UaStatusException(StatusCodes.BadNonceInvalid, $"the server nonce must be {RsaAesPolicy.NonceLength} bytes for {_policy.Name}");
        }

        // Our sending keys come from (server nonce as secret, client nonce as seed); the server's the other way round.
        _keys[tokenId] = (SymmetricKeys.Derive(serverNonce, clientNonce, _policy.EncryptingKeyLength),
            SymmetricKeys.Derive(clientNonce, serverNonce, _policy.EncryptingKeyLength));
        foreach (var old in _keys.Keys.Where(k => k < tokenId - 1))
        {
            _keys.TryRemove(old, out _);
        }
    }

    public override SignatureData SignSession(byte[]? serverCertificate, byte[]? serverNonce)
    {
        var data = (serverCertificate ?? []).Concat(serverNonce ?? []).ToArray();
        return new SignatureData(RsaSha256, _localKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public override bool VerifySession(byte[]? clientCertificate, byte[] clientNonce, SignatureData serverSignature)
    {
        ArgumentNullException.ThrowIfNull(serverSignature);
        if (serverSignature.Signature is null || serverSignature.Algorithm != RsaSha256)
        {
            return false;
        }

        var data = (clientCertificate ?? []).Concat(clientNonce).ToArray();
        return _remoteKey.VerifyData(data, serverSignature.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public override int MaxPlainTextSize(int chunkSize, int headerLength, bool asymmetric)
    {
        if (asymmetric)
        {
            var cipherBlock = _remoteKey.KeySize / 8;
            var plainBlock = cipherBlock - 42;
            var extra = cipherBlock > 256 ? 1 : 0;
            return ((chunkSize - headerLength) / cipherBlock * plainBlock) - (_localKey.KeySize / 8) - 1 - extra;
        }

        return Encrypts
            ? ((chunkSize - headerLength) / AesBlock * AesBlock) - HmacSize - 1
            : chunkSize - headerLength - HmacSize;
    }

    public void Dispose()
    {
        _localKey.Dispose();
        _remoteKey.Dispose();
    }

    private static void WritePadding(Span<byte> target, int paddingSize, bool extraByte)
    {
        // PaddingSize byte, then PaddingSize bytes of the same value, then (for keys > 2048 bits) the high byte.
        target[..(paddingSize + 1)].Fill((byte)paddingSize);
        if (extraByte)
        {
            target[paddingSize + 1] = (byte)(paddingSize >> 8);
        }
    }

    private static void PatchSize(Span<byte> headers, int size) => BinaryPrimitives.WriteUInt32LittleEndian(headers[4..], (uint)size);
}
