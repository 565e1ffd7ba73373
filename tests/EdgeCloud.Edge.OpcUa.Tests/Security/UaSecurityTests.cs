using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.OpcUa.Client;
using EdgeCloud.Edge.OpcUa.Security;
using EdgeCloud.Edge.OpcUa.Tests.Peers;
using EdgeCloud.Edge.OpcUa.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Edge.OpcUa.Tests.Security;

[Collection(NodeOpcuaCollection.Name)]
public sealed class UaSecurityTests(NodeOpcuaFixture fixture) : IDisposable
{
    private static readonly NodeId Temperature = NodeId.Parse("ns=2;s=Temperature");
    private readonly string _pki = Path.Combine(Path.GetTempPath(), "edgecloud-opcua-client-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_pki, recursive: true);

    private static OpcUaDeviceConfig Device(string endpoint, string policy = "Basic256Sha256", OpcUaSecurityMode mode = OpcUaSecurityMode.SignAndEncrypt,
        bool allowUnknown = false, bool allowDeprecated = false, string? user = null, string? password = null) =>
        new("plc", endpoint, policy, mode, user, password, allowUnknown, allowDeprecated, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), []);

    private UaCertificateStore Store(TimeProvider? time = null) => new(_pki, "urn:edgecloud:edge-agent", time ?? TimeProvider.System);

    private static Task<UaSession> ConnectAsync(OpcUaDeviceConfig device, UaCertificateStore store, TimeProvider? time = null, UaChannelOptions? channel = null)
    {
        time ??= TimeProvider.System;
        channel ??= new UaChannelOptions();
        var options = new UaSessionOptions
        {
            Security = new UaSecurityFactory(device, store, channel, time, NullLogger.Instance).CreateAsync,
            Identity = device.UserName is null ? UaIdentity.Anonymous : new UaIdentity(device.UserName, device.Password),
            Channel = channel,
        };
        return UaSession.ConnectAsync(device.EndpointUrl, options, time, NullLogger.Instance, CancellationToken.None);
    }

    private UaCertificateStore TrustingStore()
    {
        var store = Store();
        store.AddTrusted(fixture.Server.Certificate);
        return store;
    }

    [Theory]
    [InlineData("Basic256Sha256", OpcUaSecurityMode.Sign)]
    [InlineData("Basic256Sha256", OpcUaSecurityMode.SignAndEncrypt)]
    [InlineData("Aes128_Sha256_RsaOaep", OpcUaSecurityMode.Sign)]
    [InlineData("Aes128_Sha256_RsaOaep", OpcUaSecurityMode.SignAndEncrypt)]
    public async Task ConnectAsync_RsaAesPolicyTrustedServer_ReadsAndWrites(string policy, OpcUaSecurityMode mode)
    {
        await using var session = await ConnectAsync(Device(fixture.Server.EndpointUrl, policy, mode), TrustingStore());

        var value = await session.ReadValueAsync(Temperature, CancellationToken.None);
        var label = $"secured {policy} {mode}";
        var written = await session.WriteAsync([new WriteValue(NodeId.Parse("ns=2;s=Label"), DataValue.FromValue(Variant.From(label)))], CancellationToken.None);
        var readBack = await session.ReadValueAsync(NodeId.Parse("ns=2;s=Label"), CancellationToken.None);

        Assert.True(StatusCodes.IsGood(value.Status));
        Assert.Equal(StatusCodes.Good, written[0]);
        Assert.Equal(label, readBack.Value.Value);
        Assert.Equal(UaSecurityFactory.PolicyPrefix + policy, session.Channel.Security.PolicyUri);
        Assert.Equal((MessageSecurityMode)mode, session.Channel.Security.Mode);
    }

    [Fact]
    public async Task ConnectAsync_Aes128UserNameLargeMessages_ActivatesAndChunks()
    {
        var small = new UaChannelOptions { Transport = new TransportLimits { ReceiveBufferSize = 8192, SendBufferSize = 8192 } };
        var device = Device(fixture.Server.EndpointUrl, "Aes128_Sha256_RsaOaep", user: NodeOpcuaServer.UserName, password: NodeOpcuaServer.Password);
        await using var session = await ConnectAsync(device, TrustingStore(), channel: small);

        var values = await session.ReadAsync(Enumerable.Range(0, 2000).Select(_ => new ReadValueId(Temperature)).ToArray(), CancellationToken.None);

        Assert.Equal(2000, values.Length);
        Assert.All(values, v => Assert.True(StatusCodes.IsGood(v.Status)));
    }

    [Fact]
    public async Task ConnectAsync_Basic256Sha256LargeMessages_ChunksUnderEncryption()
    {
        var small = new UaChannelOptions { Transport = new TransportLimits { ReceiveBufferSize = 8192, SendBufferSize = 8192 } };
        await using var session = await ConnectAsync(Device(fixture.Server.EndpointUrl), TrustingStore(), channel: small);

        var values = await session.ReadAsync(Enumerable.Range(0, 2000).Select(_ => new ReadValueId(Temperature)).ToArray(), CancellationToken.None);

        Assert.Equal(2000, values.Length);
        Assert.All(values, v => Assert.True(StatusCodes.IsGood(v.Status)));
    }

    [Fact]
    public async Task ConnectAsync_UserNameOverSignAndEncrypt_Activates()
    {
        var device = Device(fixture.Server.EndpointUrl, user: NodeOpcuaServer.UserName, password: NodeOpcuaServer.Password);
        await using var session = await ConnectAsync(device, TrustingStore());

        Assert.True(StatusCodes.IsGood((await session.ReadValueAsync(Temperature, CancellationToken.None)).Status));
    }

    [Fact]
    public async Task ConnectAsync_ShortTokenLifetime_RenewsBeforeExpiry()
    {
        // Renewal at 75% (1.9 s) leaves 1.25 s before node-opcua drops the token (at 125%): room for a busy machine.
        var channel = new UaChannelOptions { TokenLifetime = TimeSpan.FromMilliseconds(2500) };
        await using var session = await ConnectAsync(Device(fixture.Server.EndpointUrl), TrustingStore(), channel: channel);

        var deadline = DateTime.UtcNow.AddSeconds(6);
        while (DateTime.UtcNow < deadline)
        {
            Assert.True(StatusCodes.IsGood((await session.ReadValueAsync(Temperature, CancellationToken.None)).Status));
            await Task.Delay(100);
        }

        Assert.True(session.Channel.Renewals >= 2, $"{session.Channel.Renewals} renewals");
    }

    [Fact]
    public async Task ConnectAsync_UnknownServerCertificate_RefusedAndPutInPending()
    {
        var store = Store();

        var error = await Assert.ThrowsAsync<UaStatusException>(() => ConnectAsync(Device(fixture.Server.EndpointUrl), store));

        Assert.Equal(StatusCodes.BadCertificateUntrusted, error.StatusCode);
        var pending = Assert.Single(store.List(pending: true));
        Assert.Equal(UaCertificateStore.Thumbprint(fixture.Server.Certificate), pending.Thumbprint);
        Assert.Contains(pending.Thumbprint, error.Message, StringComparison.Ordinal);

        Assert.True(store.Trust(pending.Thumbprint.ToLowerInvariant()));
        await using var session = await ConnectAsync(Device(fixture.Server.EndpointUrl), store);
        Assert.True(StatusCodes.IsGood((await session.ReadValueAsync(Temperature, CancellationToken.None)).Status));
    }

    [Fact]
    public async Task ConnectAsync_AllowUnknownServerCertificate_Connects()
    {
        await using var session = await ConnectAsync(Device(fixture.Server.EndpointUrl, allowUnknown: true), Store());

        Assert.True(StatusCodes.IsGood((await session.ReadValueAsync(Temperature, CancellationToken.None)).Status));
    }

    [Fact]
    public async Task ConnectAsync_ExpiredServerCertificate_Refused()
    {
        var store = TrustingStore();
        var future = new FakeTimeProvider(new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var error = await Assert.ThrowsAsync<UaStatusException>(() => ConnectAsync(Device(fixture.Server.EndpointUrl), store, future));

        Assert.Equal(StatusCodes.BadCertificateTimeInvalid, error.StatusCode);
    }

    [Fact]
    public async Task ConnectAsync_CertificateForAnotherHost_RefusedBeforeAnyRead()
    {
        var wrongHost = fixture.Server.EndpointUrl.Replace("localhost", "127.0.0.2", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<UaStatusException>(() => ConnectAsync(Device(wrongHost), TrustingStore()));

        Assert.Equal(StatusCodes.BadCertificateHostNameInvalid, error.StatusCode);
        Assert.Contains("127.0.0.2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Basic128Rsa15")]
    [InlineData("Basic256")]
    public async Task ConnectAsync_DeprecatedPolicyNotAllowed_Refused(string policy)
    {
        var error = await Assert.ThrowsAsync<UaStatusException>(() => ConnectAsync(Device(fixture.Server.EndpointUrl, policy), TrustingStore()));

        Assert.Equal(StatusCodes.BadSecurityPolicyRejected, error.StatusCode);
        Assert.Contains("allowDeprecatedPolicy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifySession_SignatureNotMadeByTheServerKey_IsRejected()
    {
        var store = Store();
        using var security = new RsaAesSecurity(RsaAesPolicy.Basic256Sha256, store.GetApplicationCertificate(), fixture.Server.Certificate, MessageSecurityMode.SignAndEncrypt);
        var nonce = new byte[32];
        var forged = security.SignSession(security.LocalCertificate, nonce); // signed with our key, not the server's

        Assert.False(security.VerifySession(security.LocalCertificate, nonce, forged));
        Assert.False(security.VerifySession(security.LocalCertificate, nonce, SignatureData.None));
    }

    [Fact]
    public void GetApplicationCertificate_FirstUse_CreatesSelfSignedWithUriAndPrivateKeyFile()
    {
        var store = Store();

        var certificate = store.GetApplicationCertificate();
        var again = new UaCertificateStore(_pki, store.ApplicationUri, TimeProvider.System).GetApplicationCertificate();

        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(certificate.Thumbprint, again.Thumbprint);
        Assert.True(again.HasPrivateKey);
        var san = certificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("urn:edgecloud:edge-agent", System.Text.Encoding.ASCII.GetString(san.RawData), StringComparison.Ordinal);
        var key = Directory.GetFiles(Path.Combine(_pki, "own", "private")).Single();
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
    }
}
