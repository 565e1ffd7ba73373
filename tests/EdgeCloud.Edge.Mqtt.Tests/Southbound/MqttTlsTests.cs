using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Mqtt.Southbound;
using EdgeCloud.Edge.Mqtt.Tests.Peers;
using EdgeCloud.Edge.Mqtt.Tests.Support;
using EdgeCloud.Edge.Points;
using MQTTnet;

namespace EdgeCloud.Edge.Mqtt.Tests.Southbound;

/// <summary>TLS and credentials against mosquitto: a private CA is trusted only when configured, a wrong password is reported.</summary>
public sealed class MqttTlsTests(MosquittoTlsBroker broker) : IClassFixture<MosquittoTlsBroker>
{
    private MqttDeviceConfig Device(string clientId, MqttTlsConfig tls, string password = MosquittoTlsBroker.Password) => new(
        "dev1",
        new MqttConnectionConfig("127.0.0.1", broker.Port, clientId, MosquittoTlsBroker.User, password, tls, false, TimeSpan.FromHours(1), TimeSpan.FromSeconds(30)),
        [new MqttJsonSubscriptionConfig("tls/data", 1, null, [new MqttJsonTagConfig("v", "/v", MqttValueKind.Number)], "$.devices[0].subscriptions[0]")]);

    [Fact]
    public async Task Session_TlsWithCaFileAndPassword_ReceivesMessages()
    {
        await using var session = await RunningSession.StartAsync(Device("tls-ok", new MqttTlsConfig(broker.CaFile, false)));
        Assert.Equal(1, session.Logs.Count(6300));

        var device = new MqttClientFactory().CreateMqttClient();
        await device.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("tls-device")
            .WithCredentials(MosquittoTlsBroker.User, MosquittoTlsBroker.Password).WithTlsOptions(o => o.UseTls().WithAllowUntrustedCertificates().WithCertificateValidationHandler(_ => true)).Build());
        await device.PublishStringAsync("tls/data", """{ "v": 5 }""", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);
        await device.DisconnectAsync();
        device.Dispose();

        await session.Sink.WaitUntilAsync(p => p.Any(x => x.Quality == PointQuality.Good && x.Value == TagValue.FromNumber(5)), "the value over TLS");
    }

    [Theory]
    [InlineData(false, MosquittoTlsBroker.Password)]
    [InlineData(true, "wrong")]
    public async Task Session_UntrustedCertificateOrWrongPassword_ReportedOnceAndTagsBad(bool trustCa, string password)
    {
        await using var session = await RunningSession.StartAsync(Device($"tls-bad-{trustCa}", new MqttTlsConfig(trustCa ? broker.CaFile : null, false), password), waitConnected: false);

        await session.Sink.WaitUntilAsync(p => p.Any(x => x.StatusDetail == (uint)MqttBadReason.BrokerDisconnected), "the tag marked bad");
        await Eventually.WaitAsync(() => session.Logs.Count(6302) == 1, "the failure logged");
        Assert.Equal(0, session.Logs.Count(6300));
    }
}
