using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeCloud.Edge.Mqtt.Tests.Support;

/// <summary>A plain MQTTnet client playing the other side: a device that publishes, or a SCADA that subscribes.</summary>
internal sealed class TestMqttClient : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public ConcurrentQueue<MqttApplicationMessage> Received { get; } = new();

    public static async Task<TestMqttClient> ConnectAsync(int port, string clientId)
    {
        var client = new TestMqttClient();
        client._client.ApplicationMessageReceivedAsync += e =>
        {
            client.Received.Enqueue(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await client._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        return client;
    }

    public Task PublishAsync(string topic, byte[] payload, int qos = 1, bool retain = false) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos).WithRetainFlag(retain).Build());

    public Task PublishAsync(string topic, string payload, int qos = 1) => PublishAsync(topic, System.Text.Encoding.UTF8.GetBytes(payload), qos);

    public Task SubscribeAsync(string filter, int qos = 1) =>
        _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, (MqttQualityOfServiceLevel)qos).Build());

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync();
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // The broker closed the connection first (a test that stops it before its clients).
            }
        }

        _client.Dispose();
    }
}
