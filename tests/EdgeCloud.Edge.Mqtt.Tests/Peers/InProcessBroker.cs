using System.Net;
using MQTTnet.Server;

namespace EdgeCloud.Edge.Mqtt.Tests.Peers;

/// <summary>MQTTnet's own broker, in process on an ephemeral loopback port: enough where mosquitto's independence adds nothing.</summary>
public sealed class InProcessBroker : IAsyncLifetime
{
    private MqttServer? _server;

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        // A port found free can be taken before the server binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = MosquittoBroker.FreePort();
            _server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
                .WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointPort(Port)
                .WithPersistentSessions()
                .Build());
            try
            {
                await _server.StartAsync();
                return;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 3)
            {
                _server.Dispose();
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync(new MqttServerStopOptionsBuilder().Build());
            _server.Dispose();
        }
    }
}
