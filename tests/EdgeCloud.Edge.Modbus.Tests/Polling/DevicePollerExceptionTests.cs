using System.Diagnostics.Metrics;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Polling;
using EdgeCloud.Edge.Modbus.Tcp;
using EdgeCloud.Edge.Modbus.Tests.Fakes;
using EdgeCloud.Edge.Modbus.Tests.Support;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCloud.Edge.Modbus.Tests.Polling;

/// <summary>
/// Every exception code through a real poll: a scripted server (pymodbus cannot be made to answer
/// 04, 05, 06, 0A or 0B) answers the holding read with the code and the input read normally.
/// </summary>
public sealed class DevicePollerExceptionTests
{
    [Theory]
    [InlineData(0x01, PointQuality.BadConfiguration, "01 IllegalFunction")]
    [InlineData(0x02, PointQuality.BadConfiguration, "02 IllegalDataAddress")]
    [InlineData(0x03, PointQuality.BadConfiguration, "03 IllegalDataValue")]
    [InlineData(0x04, PointQuality.BadDeviceException, "04 ServerDeviceFailure")]
    [InlineData(0x05, PointQuality.BadDeviceException, "05 Acknowledge")]
    [InlineData(0x06, PointQuality.BadDeviceException, "06 ServerDeviceBusy")]
    [InlineData(0x0A, PointQuality.BadCommunication, "0A GatewayPathUnavailable")]
    [InlineData(0x0B, PointQuality.BadTimeout, "0B GatewayTargetFailedToRespond")]
    [InlineData(0x0C, PointQuality.BadDeviceException, "0C Unknown")]
    public async Task PollOnceAsync_ExceptionCode_MappedQualityWithCodeAndCountedByCode(byte code, PointQuality quality, string counted)
    {
        await using var server = new FakeModbusServer(async c =>
        {
            while (true)
            {
                var (id, unit, pdu) = await c.ReadRequestAsync();
                await c.SendFrameAsync(id, unit, pdu[0] == 0x03 ? [0x83, code] : FakeConnection.ReadReply(pdu[0], 7));
            }
        });
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        // The meter listener hears every test of the run: this device's name is its own.
        var name = $"exception-{code:X2}";
        var seen = new List<(string Device, string Code)>();
        using var listener = Listen(name, seen);
        var device = new ModbusTcpDeviceConfig(name, "127.0.0.1", server.Port, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3),
        [
            new ModbusTagConfig("held", ModbusRegisterArea.Holding, 0, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null),
            new ModbusTagConfig("input", ModbusRegisterArea.Input, 0, ModbusDataType.UInt16, ByteOrder.ABCD, 1, 0, null),
        ]);
        var sink = new CollectingSink();
        var logs = new CollectingLoggerProvider();
        await using var poller = new DevicePoller(
            device, new ModbusTcpMaster("127.0.0.1", server.Port, TimeSpan.FromSeconds(3)), sink, TimeProvider.System,
            new ModbusMetrics(services.GetRequiredService<IMeterFactory>()), logs.CreateLogger("test"));

        await poller.PollOnceAsync(CancellationToken.None);
        await poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(2, sink.Batches(name).Count);
        foreach (var batch in sink.Batches(name))
        {
            Assert.Equal((quality, (uint)code, TagValue.None), (batch[0].Quality, batch[0].StatusDetail, batch[0].Value));
            Assert.Equal((PointQuality.Good, TagValue.FromInteger(7)), (batch[1].Quality, batch[1].Value));
        }

        Assert.Equal([(name, counted), (name, counted)], seen);
        Assert.Equal(1, logs.Count(4005)); // the code appeared: logged once, not per poll
    }

    private static MeterListener Listen(string name, List<(string Device, string Code)> seen)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ModbusMetrics.MeterName && instrument.Name == "edge_modbus_exceptions")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? device = null, code = null;
            foreach (var tag in tags)
            {
                device = tag.Key == "device" ? (string?)tag.Value : device;
                code = tag.Key == "code" ? (string?)tag.Value : code;
            }

            if (device == name)
            {
                lock (seen)
                {
                    seen.Add((device, code!));
                }
            }
        });
        listener.Start();
        return listener;
    }
}
