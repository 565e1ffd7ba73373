using System.Net.Sockets;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Tcp;
using EdgeCloud.Edge.Modbus.Tests.Fakes;
using EdgeCloud.Edge.Modbus.Tests.Peers;

namespace EdgeCloud.Edge.Modbus.Tests.Tcp;

/// <summary>The master against scripted peers that misbehave in ways pymodbus cannot.</summary>
public sealed class ModbusTcpMasterFailureTests
{
    // Long enough that a busy test machine never turns an expected reply into a timeout.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    // For tests whose first request must time out: short, but still far above a loopback round trip.
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task ReadHoldingRegisters_LateReplyArrivesAfterNextRequest_IsNotAttributedToIt()
    {
        // Imitates a slow device (or a gateway queueing behind a slow serial bus): the reply to
        // request 1 arrives only after request 2 was sent, right before the reply to request 2.
        await using var fake = new FakeModbusServer(async c =>
        {
            var first = await c.ReadRequestAsync();
            var second = await c.ReadRequestAsync();
            await c.SendFrameAsync(first.TransactionId, first.UnitId, FakeConnection.ReadReply(3, 0xAAAA));
            await c.SendFrameAsync(second.TransactionId, second.UnitId, FakeConnection.ReadReply(3, 0xBBBB));
            await c.StallAsync();
        });
        await using var master = new ModbusTcpMaster("127.0.0.1", fake.Port, ShortTimeout);

        await Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None).AsTask());
        var second = await master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None);

        Assert.Equal(0xBBBB, second[0]);
        Assert.Equal(1, master.LateRepliesDiscarded);
        Assert.Equal(1, fake.Accepted);
    }

    [Fact]
    public async Task ReadHoldingRegisters_LateReplySplitAcrossTheTimeout_IsCompletedAndDiscarded()
    {
        // Imitates a reply cut in two TCP segments with the timeout falling between them: the
        // master must resync on frame boundaries, not start parsing mid-frame.
        await using var fake = new FakeModbusServer(async c =>
        {
            var first = await c.ReadRequestAsync();
            var late = Frame(first.TransactionId, first.UnitId, FakeConnection.ReadReply(3, 0xAAAA));
            await c.SendAsync(late[..4]);
            var second = await c.ReadRequestAsync();
            await c.SendAsync(late[4..]);
            await c.SendFrameAsync(second.TransactionId, second.UnitId, FakeConnection.ReadReply(3, 0xBBBB));
            await c.StallAsync();
        });
        await using var master = new ModbusTcpMaster("127.0.0.1", fake.Port, ShortTimeout);

        await Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None).AsTask());

        Assert.Equal(0xBBBB, (await master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None))[0]);
        Assert.Equal(1, fake.Accepted);
    }

    public static TheoryData<string> GarbageKinds() =>
        ["protocol id", "length zero", "length too long", "wrong function", "byte count", "wrong unit", "short exception"];

    [Theory]
    [MemberData(nameof(GarbageKinds))]
    public async Task ReadHoldingRegisters_GarbageReply_ThrowsProtocolExceptionAndReconnects(string kind)
    {
        // Imitates a device (or something that is not Modbus at all) sending malformed frames on
        // its first connection, then behaving on the next.
        await using var fake = new FakeModbusServer(async c =>
        {
            var (id, unit, _) = await c.ReadRequestAsync();
            if (c.Index > 0)
            {
                await c.SendFrameAsync(id, unit, FakeConnection.ReadReply(3, 0x0102));
                await c.StallAsync();
                return;
            }

            var good = FakeConnection.ReadReply(3, 0x0102);
            await (kind switch
            {
                "protocol id" => c.SendFrameAsync(id, unit, good, protocolId: 1),
                "length zero" => c.SendFrameAsync(id, unit, good, lengthField: 0),
                "length too long" => c.SendFrameAsync(id, unit, good, lengthField: 300),
                "wrong function" => c.SendFrameAsync(id, unit, FakeConnection.ReadReply(4, 0x0102)),
                "byte count" => c.SendFrameAsync(id, unit, FakeConnection.ReadReply(3, 0x0102, 0x0304)),
                "wrong unit" => c.SendFrameAsync(id, (byte)(unit + 1), good),
                _ => c.SendFrameAsync(id, unit, [0x83, 0x02, 0x00]),
            });
            await c.StallAsync();
        });
        await using var master = new ModbusTcpMaster("127.0.0.1", fake.Port, Timeout);

        await Assert.ThrowsAsync<ModbusProtocolException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None).AsTask());
        Assert.False(master.IsConnected);

        Assert.Equal(0x0102, (await master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None))[0]);
        Assert.Equal(2, fake.Accepted);
    }

    [Fact]
    public async Task ReadHoldingRegisters_StalledServer_TimesOutThenDropsTheConnectionAfterThreeInARow()
    {
        // Imitates a device whose TCP stack accepts but whose application hangs.
        await using var fake = new FakeModbusServer(c => c.StallAsync());
        await using var master = new ModbusTcpMaster("127.0.0.1", fake.Port, TimeSpan.FromMilliseconds(150));

        for (var i = 1; i <= ModbusTcpMaster.MaxConsecutiveTimeouts; i++)
        {
            await Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None).AsTask());
            Assert.Equal(i < ModbusTcpMaster.MaxConsecutiveTimeouts, master.IsConnected);
        }

        await Assert.ThrowsAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None).AsTask());
        Assert.Equal(2, fake.Accepted);
    }

    [Fact]
    public async Task ReadHoldingRegisters_ServerResetsConnection_ThrowsTransportExceptionAndReconnects()
    {
        // Imitates a device that crashes or a firewall that kills the session: a TCP RST.
        await using var fake = new FakeModbusServer(async c =>
        {
            var (id, unit, _) = await c.ReadRequestAsync();
            if (c.Index == 0)
            {
                c.Reset();
                return;
            }

            await c.SendFrameAsync(id, unit, FakeConnection.ReadReply(3, 7));
            await c.StallAsync();
        });
        await using var master = new ModbusTcpMaster("127.0.0.1", fake.Port, Timeout);

        var ex = await Assert.ThrowsAsync<ModbusTransportException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None).AsTask());
        Assert.False(ex.WhileConnecting);
        Assert.False(master.IsConnected);

        Assert.Equal(7, (await master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None))[0]);
        Assert.Equal(2, fake.Accepted);
    }

    [Fact]
    public async Task ReadHoldingRegisters_DeviceClosedIdleConnection_ReconnectsWithoutFailing()
    {
        // Imitates a device that closes connections after one request (or after an idle time).
        await using var fake = new FakeModbusServer(async c =>
        {
            var (id, unit, _) = await c.ReadRequestAsync();
            await c.SendFrameAsync(id, unit, FakeConnection.ReadReply(3, (ushort)(c.Index + 1)));
        });
        await using var master = new ModbusTcpMaster("127.0.0.1", fake.Port, Timeout);
        Assert.Equal(1, (await master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None))[0]);
        var until = DateTime.UtcNow.AddSeconds(10);
        while (fake.Finished < 1)
        {
            Assert.True(DateTime.UtcNow < until, "the fake did not close its connection");
            await Task.Delay(10);
        }

        Assert.Equal(2, (await master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None))[0]);
        Assert.Equal(2, fake.Accepted);
    }

    [Fact]
    public async Task ReadHoldingRegisters_PortClosed_ThrowsTransportExceptionWhileConnecting()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", PymodbusServer.FreePort(), Timeout);

        var ex = await Assert.ThrowsAsync<ModbusTransportException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None).AsTask());

        Assert.True(ex.WhileConnecting);
        Assert.IsType<SocketException>(ex.InnerException);
    }

    [Fact]
    public async Task ReadHoldingRegisters_ExceptionResponse_KeepsTheConnection()
    {
        await using var fake = new FakeModbusServer(async c =>
        {
            var (id, unit, _) = await c.ReadRequestAsync();
            await c.SendFrameAsync(id, unit, [0x83, 0x0B]);
            (id, unit, _) = await c.ReadRequestAsync();
            await c.SendFrameAsync(id, unit, FakeConnection.ReadReply(3, 9));
            await c.StallAsync();
        });
        await using var master = new ModbusTcpMaster("127.0.0.1", fake.Port, Timeout);

        var ex = await Assert.ThrowsAsync<ModbusException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None).AsTask());

        Assert.Equal(ModbusExceptionCode.GatewayTargetFailedToRespond, ex.ExceptionCode);
        Assert.Equal(9, (await master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None))[0]);
        Assert.Equal(1, fake.Accepted);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 126)]
    [InlineData(65535, 2)]
    public async Task ReadHoldingRegisters_InvalidQuantityOrRange_ThrowsBeforeSending(int start, int count)
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", PymodbusServer.FreePort(), Timeout);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => master.ReadHoldingRegistersAsync(1, (ushort)start, new ushort[count], CancellationToken.None).AsTask());
        Assert.False(master.IsConnected);
    }

    private static byte[] Frame(ushort transactionId, byte unitId, byte[] pdu)
    {
        var frame = new byte[7 + pdu.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(frame, transactionId);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), (ushort)(pdu.Length + 1));
        frame[6] = unitId;
        pdu.CopyTo(frame, 7);
        return frame;
    }
}
