using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Rtu;
using EdgeCloud.Edge.Modbus.Tests.Peers;

namespace EdgeCloud.Edge.Modbus.Tests.Rtu;

/// <summary>Several devices sharing one RTU bus (pymodbus units 1 and 2 on a socat pty; unit 9 is absent).</summary>
[Collection(PymodbusRtuCollection.Name)]
public sealed class RtuBusPymodbusTests(PymodbusRtuPeers peers)
{
    [Fact]
    public async Task Attach_TwoDevicesPollingAtOnce_RequestsAreSerialisedAndEveryValueIsRight()
    {
        await using var bus = new RtuBus(new SerialRtuTransport(peers.Settings()), TimeProvider.System);
        var one = bus.Attach(TimeSpan.FromSeconds(3));
        var two = bus.Attach(TimeSpan.FromSeconds(3));

        // Both loops hit the one master at the same time; interleaved frames would collide on the
        // line and show up as corrupt frames or wrong values.
        await Task.WhenAll(PollAsync(one, 1, 40), PollAsync(two, 2, 40));

        Assert.Equal(0, bus.Master.CrcErrors + bus.Master.TruncatedFrames + bus.Master.UnexpectedFrames);
        Assert.Equal(40, one.RequestsSent);
        Assert.Equal(40, two.RequestsSent);
    }

    [Fact]
    public async Task Attach_DeadSlaveOnTheBus_IsQuarantinedAndTheOthersKeepTheirPace()
    {
        await using var bus = new RtuBus(new SerialRtuTransport(peers.Settings()), TimeProvider.System);
        var dead = bus.Attach(TimeSpan.FromMilliseconds(300), jitter: () => 0.999999);
        var alive = bus.Attach(TimeSpan.FromSeconds(3));
        var deadTimeouts = 0;
        var aliveReads = 0;

        // Round-robin, as pollers of one bus take turns: each round asks the dead slave, then the live one.
        for (var round = 0; round < 10; round++)
        {
            try
            {
                await dead.ReadHoldingRegistersAsync(9, 0, new ushort[1], CancellationToken.None);
            }
            catch (ModbusTimeoutException)
            {
                deadTimeouts++;
            }

            await PollAsync(alive, 1, 1);
            aliveReads++;
        }

        // Three real timeouts put it in quarantine (0.5 s with the jitter pinned high); the 7
        // rounds after that take far less, so they do not wait for the dead slave (one probe at
        // most, should a busy machine stretch them past the quarantine).
        Assert.Equal(10, deadTimeouts);
        Assert.InRange(dead.RequestsSent, SlaveQuarantine.Threshold, SlaveQuarantine.Threshold + 1);
        Assert.Equal(10, dead.RequestsSent + dead.RequestsRefused);
        Assert.Equal(10, aliveReads);
        Assert.True(bus.Master.IsConnected);
    }

    [Fact]
    public async Task Attach_QuarantineEnds_ProbeGoesOutAndAnAnswerLiftsIt()
    {
        await using var bus = new RtuBus(new SerialRtuTransport(peers.Settings()), TimeProvider.System);
        var device = bus.Attach(TimeSpan.FromMilliseconds(150), jitter: () => 0.0);
        for (var i = 0; i < SlaveQuarantine.Threshold; i++)
        {
            await Assert.ThrowsAsync<ModbusTimeoutException>(() => device.ReadHoldingRegistersAsync(9, 0, new ushort[1], CancellationToken.None).AsTask());
        }

        Assert.True(device.Quarantine.IsQuarantined(out _));
        var until = device.Quarantine.Until;
        while (DateTimeOffset.UtcNow < until)
        {
            await Assert.ThrowsAsync<ModbusTimeoutException>(() => device.ReadHoldingRegistersAsync(2, 0, new ushort[1], CancellationToken.None).AsTask());
            await Task.Delay(25);
        }

        // The same view now asks a unit that answers (a device whose slave came back).
        var registers = new ushort[1];
        await device.ReadHoldingRegistersAsync(2, 3, registers, CancellationToken.None);

        Assert.Equal(PymodbusRtuPeers.Holding(2, 3), registers[0]);
        Assert.False(device.Quarantine.IsQuarantined(out _));
        Assert.Equal(0, device.Quarantine.ConsecutiveTimeouts);
    }

    private static async Task PollAsync(RtuBusClient client, byte unit, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var registers = new ushort[4];
            var start = (ushort)(i % 50);
            await client.ReadHoldingRegistersAsync(unit, start, registers, CancellationToken.None);
            Assert.Equal(Enumerable.Range(start, 4).Select(a => PymodbusRtuPeers.Holding(unit, a)), registers);
        }
    }
}
