using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Edge.Sync.Identity;
using EdgeCloud.Proto;
using EdgeCloud.Proto.Sync.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace EdgeCloud.Hub.Fleet.Tests.TestSupport;

/// <summary>
/// A light in-process agent: enrolled through the real REST API with the agent's own
/// <see cref="EnrollmentClient"/> (key pair, CSR, files under a temp folder), and speaking the sync protocol
/// over mTLS with whatever certificate a test gives it.
/// </summary>
internal sealed class TestAgent : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(15);
    private readonly TempDirectory _folder;
    private readonly SecureHub _hub;

    private TestAgent(SecureHub hub, string agentId, TempDirectory folder, EnrollmentOutcome outcome)
    {
        _hub = hub;
        AgentId = agentId;
        _folder = folder;
        Files = new AgentIdentityFiles(folder.Path);
        Credential = outcome.Credential;
        Ca = outcome.Ca;
        Tenant = outcome.Tenant;
    }

    public string AgentId { get; }

    public AgentIdentityFiles Files { get; }

    public X509Certificate2 Credential { get; set; }

    public X509Certificate2 Ca { get; }

    public string Tenant { get; }

    public static async Task<TestAgent> EnrollAsync(SecureHub hub, string agentId, string token)
    {
        var folder = new TempDirectory();
        using var http = hub.Client(null);
        var outcome = await EnrollmentClient.EnrollAsync(http, hub.ApiUri, token, agentId, new AgentIdentityFiles(folder.Path), CancellationToken.None);
        return new TestAgent(hub, agentId, folder, outcome);
    }

    /// <summary>A channel to the hub's sync endpoint presenting <paramref name="certificate"/> (none when null), trusting only the hub CA.</summary>
    public GrpcChannel Channel(X509Certificate2? certificate) => OpenChannel(_hub, Ca, certificate);

    public static GrpcChannel OpenChannel(SecureHub hub, X509Certificate2 ca, X509Certificate2? certificate) =>
        GrpcChannel.ForAddress(hub.SyncUri, new GrpcChannelOptions
        {
            MaxRetryAttempts = 0,
            HttpHandler = new SocketsHttpHandler { SslOptions = Ssl(ca, certificate), EnableMultipleHttp2Connections = false },
        });

    /// <summary>TLS client options trusting only <paramref name="ca"/> and presenting <paramref name="certificate"/> (none when null).</summary>
    public static SslClientAuthenticationOptions Ssl(X509Certificate2 ca, X509Certificate2? certificate)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, errors) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && presented is X509Certificate2 server && chain.Build(server);
            },
        };
        if (certificate is not null)
        {
            ssl.ClientCertificates = [certificate];
        }

        return ssl;
    }

    /// <summary>Opens a stream on <paramref name="channel"/> and sends a Hello claiming <paramref name="claimedId"/>.</summary>
    public static async Task<AsyncDuplexStreamingCall<AgentMessage, HubMessage>> HelloAsync(GrpcChannel channel, string claimedId)
    {
        var call = new FleetSync.FleetSyncClient(channel).Connect();
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { AgentId = claimedId, AgentVersion = "test", ProtocolVersion = SyncProtocol.Version } });
        return call;
    }

    /// <summary>The next hub message, or the call's failure.</summary>
    public static async Task<HubMessage> ReadAsync(AsyncDuplexStreamingCall<AgentMessage, HubMessage> call)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token), "the hub ended the stream");
        return call.ResponseStream.Current;
    }

    /// <summary>Reads until the call ends; returns the refusal seen (if any) and the final status.</summary>
    public static async Task<(Refusal? Refusal, Status Status)> ReadToEndAsync(AsyncDuplexStreamingCall<AgentMessage, HubMessage> call)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        Refusal? refusal = null;
        try
        {
            while (await call.ResponseStream.MoveNext(timeout.Token))
            {
                refusal ??= call.ResponseStream.Current.Refusal;
            }
        }
        catch (RpcException error)
        {
            return (refusal, error.Status);
        }

        return (refusal, call.GetStatus());
    }

    /// <summary>Connects with its own certificate and id, and reads the Welcome.</summary>
    public async Task<(GrpcChannel Channel, AsyncDuplexStreamingCall<AgentMessage, HubMessage> Call)> ConnectAsync()
    {
        var channel = Channel(Credential);
        var call = await HelloAsync(channel, AgentId);
        var welcome = await ReadAsync(call);
        Assert.Equal(HubMessage.BodyOneofCase.Welcome, welcome.BodyCase);
        return (channel, call);
    }

    public static TelemetryBatch Batch(ulong sequence) => new()
    {
        Sequence = sequence,
        Points = { new Point { Tag = "plc/t", TimeUnixNano = 1_700_000_000_000_000_000UL + sequence, Number = sequence } },
    };

    public void Dispose() => _folder.Dispose();
}
