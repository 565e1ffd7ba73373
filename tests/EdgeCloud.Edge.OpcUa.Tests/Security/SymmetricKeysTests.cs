using EdgeCloud.Edge.OpcUa.Security;

namespace EdgeCloud.Edge.OpcUa.Tests.Security;

/// <summary>Key derivation of OPC 10000-6 §6.7.5 per policy: signing key, encrypting key and IV, in that order, from one P_SHA256 stream.</summary>
public sealed class SymmetricKeysTests
{
    [Fact]
    public void Derive_Aes128AndBasic256Sha256_CutTheSamePSha256StreamAtTheirKeyLengths()
    {
        var secret = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var seed = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

        var aes128 = SymmetricKeys.Derive(secret, seed, RsaAesPolicy.Aes128Sha256RsaOaep.EncryptingKeyLength);
        var aes256 = SymmetricKeys.Derive(secret, seed, RsaAesPolicy.Basic256Sha256.EncryptingKeyLength);
        var stream = PSha256.Derive(secret, seed, 80);

        Assert.Equal((32, 16, 16), (aes128.Signing.Length, aes128.Encrypting.Length, aes128.Iv.Length));
        Assert.Equal((32, 32, 16), (aes256.Signing.Length, aes256.Encrypting.Length, aes256.Iv.Length));
        Assert.Equal(stream[..32], aes128.Signing);
        Assert.Equal(stream[32..48], aes128.Encrypting);
        Assert.Equal(stream[48..64], aes128.Iv);
        Assert.Equal(stream[64..80], aes256.Iv);
    }
}
