using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Edge.OpcUa.Security;

namespace EdgeCloud.Edge.OpcUa.Client;

/// <summary>Builds the identity token of ActivateSession (OPC 10000-4 §7.41) for the policy the server offers.</summary>
internal static class UaIdentityTokens
{
    public const string RsaOaep = "http://www.w3.org/2001/04/xmlenc#rsa-oaep";
    public const string Rsa15 = "http://www.w3.org/2001/04/xmlenc#rsa-1_5";

    public static SignatureData ClientSignature(ChannelSecurity security, byte[]? serverCertificate, byte[]? serverNonce) =>
        security.SignSession(serverCertificate, serverNonce);

    public static ExtensionObject Build(UaIdentity identity, CreateSessionResponse created, ChannelSecurity security, byte[]? serverNonce)
    {
        var type = identity.IsAnonymous ? UserTokenType.Anonymous : UserTokenType.UserName;
        var policy = FindPolicy(created.ServerEndpoints, security, type)
            ?? throw new UaStatusException(StatusCodes.BadIdentityTokenRejected, $"the server offers no {type} identity on {security.PolicyUri} / {security.Mode}");
        if (identity.IsAnonymous)
        {
            return ExtensionObject.FromBody(EncodingIds.AnonymousIdentityToken, w => w.WriteString(policy.PolicyId));
        }

        var tokenPolicy = string.IsNullOrEmpty(policy.SecurityPolicyUri) ? security.PolicyUri : policy.SecurityPolicyUri;
        var password = System.Text.Encoding.UTF8.GetBytes(identity.Password ?? "");
        string? algorithm = null;
        if (tokenPolicy != NoneSecurity.Uri)
        {
            var certificate = created.ServerCertificate ?? security.RemoteCertificate
                ?? throw new UaStatusException(StatusCodes.BadCertificateInvalid, "the server sent no certificate to encrypt the password with");
            (password, algorithm) = Encrypt(password, serverNonce ?? [], certificate, tokenPolicy);
        }

        return ExtensionObject.FromBody(EncodingIds.UserNameIdentityToken, w =>
        {
            w.WriteString(policy.PolicyId);
            w.WriteString(identity.UserName);
            w.WriteByteString(password);
            w.WriteString(algorithm);
        });
    }

    private static UserTokenPolicy? FindPolicy(EndpointDescription[] endpoints, ChannelSecurity security, UserTokenType type)
    {
        var matching = endpoints.Where(e => e.SecurityPolicyUri == security.PolicyUri && e.SecurityMode == security.Mode)
            .Concat(endpoints);
        return matching.SelectMany(e => e.UserIdentityTokens).FirstOrDefault(p => p.TokenType == type);
    }

    /// <summary>Length-prefixed password and server nonce, RSA-encrypted block by block with the server's public key.</summary>
    private static (byte[] Secret, string Algorithm) Encrypt(byte[] password, byte[] serverNonce, byte[] serverCertificate, string policyUri)
    {
        var plain = new byte[4 + password.Length + serverNonce.Length];
        BinaryPrimitives.WriteInt32LittleEndian(plain, password.Length + serverNonce.Length);
        password.CopyTo(plain, 4);
        serverNonce.CopyTo(plain, 4 + password.Length);
        using var certificate = X509CertificateLoader.LoadCertificate(serverCertificate);
        using var rsa = certificate.GetRSAPublicKey() ?? throw new UaStatusException(StatusCodes.BadCertificateInvalid, "the server certificate has no RSA key");
        var rsa15 = policyUri.EndsWith("#Basic128Rsa15", StringComparison.Ordinal);
        var padding = rsa15 ? RSAEncryptionPadding.Pkcs1 : RSAEncryptionPadding.OaepSHA1;
        var blocks = RsaBlocks.Encrypt(rsa, plain, padding);
        return (blocks, rsa15 ? Rsa15 : RsaOaep);
    }
}
