using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Updates.Artifacts;
using EdgeCloud.Edge.Updates.Tests.Fixtures;

namespace EdgeCloud.Edge.Updates.Tests.Artifacts;

/// <summary>The verifier on real files and real keys: every refusal with its own reason code.</summary>
public sealed class ArtifactVerifierTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ReleaseKey _trusted;
    private readonly ReleaseKey _stranger;
    private readonly ReleaseKeys _keys;
    private readonly byte[] _bytes = [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))];

    public ArtifactVerifierTests()
    {
        _trusted = new ReleaseKey(_folder.Path, "trusted");
        _stranger = new ReleaseKey(_folder.Path, "stranger");
        _keys = new ReleaseKeys(UpdatesConfig.Defaults(_folder.Path) with { ReleaseKeys = [_trusted.PemPath] });
    }

    public void Dispose()
    {
        _keys.Dispose();
        _trusted.Dispose();
        _stranger.Dispose();
        _folder.Dispose();
    }

    private string Write(byte[] bytes)
    {
        var path = _folder["artifact.bin"];
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Verify_SignedByTrustedKey_Passes()
    {
        ArtifactVerifier.Verify(Write(_bytes), _trusted.Sign(_bytes, "model", "m", "2.0.0"), _keys, "1.0.0");
    }

    [Fact]
    public void Verify_OneFlippedByte_HashMismatch()
    {
        var flipped = (byte[])_bytes.Clone();
        flipped[1234] ^= 0x80;

        var refused = Assert.Throws<RolloutRefusedException>(() => ArtifactVerifier.Verify(Write(flipped), _trusted.Sign(_bytes, "model", "m", "2.0.0"), _keys, null));

        Assert.Equal(RolloutReasons.HashMismatch, refused.Reason);
    }

    [Fact]
    public void Verify_SignedByKeyNotInConfig_UnknownKey()
    {
        var refused = Assert.Throws<RolloutRefusedException>(() => ArtifactVerifier.Verify(Write(_bytes), _stranger.Sign(_bytes, "model", "m", "2.0.0"), _keys, null));

        Assert.Equal(RolloutReasons.UnknownKey, refused.Reason);
        Assert.Contains(_stranger.Id, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_StrangerSignatureUnderTrustedKeyId_BadSignature()
    {
        var directive = _trusted.Sign(_bytes, "model", "m", "2.0.0");
        directive.Signature = Google.Protobuf.ByteString.CopyFrom(_stranger.SignStatement(directive));

        var refused = Assert.Throws<RolloutRefusedException>(() => ArtifactVerifier.Verify(Write(_bytes), directive, _keys, null));

        Assert.Equal(RolloutReasons.BadSignature, refused.Reason);
    }

    [Fact]
    public void Verify_SignedAsAnotherKind_BadSignature()
    {
        // A signed model replayed as an agent build: the statement binds the kind.
        var directive = _trusted.Sign(_bytes, "model", "m", "2.0.0");
        directive.Kind = "agent";

        Assert.Equal(RolloutReasons.BadSignature, Assert.Throws<RolloutRefusedException>(() => ArtifactVerifier.Verify(Write(_bytes), directive, _keys, null)).Reason);
    }

    [Fact]
    public void Verify_OlderThanInstalled_OlderVersionUnlessDowngrade()
    {
        var directive = _trusted.Sign(_bytes, "agent", "edge-agent", "1.9.3");

        Assert.Equal(RolloutReasons.OlderVersion, Assert.Throws<RolloutRefusedException>(() => ArtifactVerifier.Verify(Write(_bytes), directive, _keys, "1.10.0")).Reason);
        directive.AllowDowngrade = true;
        ArtifactVerifier.Verify(Write(_bytes), directive, _keys, "1.10.0");
    }

    [Fact]
    public void Verify_LongerThanDeclared_SizeMismatch()
    {
        var refused = Assert.Throws<RolloutRefusedException>(() => ArtifactVerifier.Verify(Write([.. _bytes, 0]), _trusted.Sign(_bytes, "model", "m", "2.0.0"), _keys, null));

        Assert.Equal(RolloutReasons.SizeMismatch, refused.Reason);
    }

    [Theory]
    [InlineData("1.10.0", "1.9.3", 1)]
    [InlineData("1.2.0-rc.1", "1.2.0", -1)]
    [InlineData("1.2", "1.2.0", 0)]
    [InlineData("2.0.0+build7", "2.0.0", 0)]
    [InlineData("0.9.9", "1.0.0", -1)]
    public void Compare_DottedNumbersAndPreReleases_Ordered(string a, string b, int sign)
    {
        Assert.Equal(sign, Math.Sign(ArtifactVersion.Compare(a, b)));
    }
}
