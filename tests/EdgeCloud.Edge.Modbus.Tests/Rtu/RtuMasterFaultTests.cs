using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Rtu;
using EdgeCloud.Edge.Modbus.Tests.Fakes;

namespace EdgeCloud.Edge.Modbus.Tests.Rtu;

/// <summary>RtuMaster against a scripted slave on a pty that corrupts its replies on purpose.</summary>
[Collection(SerialTimingCollection.Name)]
public sealed class RtuMasterFaultTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task ReadHoldingRegisters_CrcError_RejectedCountedAndNextReplyIsUsed()
    {
        await using var fake = await FakeRtuDevice.StartAsync(async d =>
        {
            await d.ReadRequestAsync();
            var bad = FakeRtuDevice.ReadReply(1, 3, 0x1111);
            bad[^1] ^= 0xFF;
            await d.SendAsync(bad);
            await d.ReadRequestAsync();
            await d.SendAsync(FakeRtuDevice.ReadReply(1, 3, 0x2222));
            await d.StallAsync();
        });
        await using var master = Master(fake);

        var ex = await Assert.ThrowsAsync<ModbusCorruptFrameException>(() => Read(master, 1));
        var second = await Read(master, 1);

        Assert.Equal(CorruptFrameKind.Crc, ex.Kind);
        Assert.Equal(0x2222, second);
        Assert.Equal(1, master.CrcErrors);
        Assert.True(master.IsConnected);
    }

    [Fact]
    public async Task ReadHoldingRegisters_FlippedDataBit_NeverBecomesAValue()
    {
        // A flipped bit in the data (not the CRC) is the dangerous case: the byte count still fits.
        await using var fake = await FakeRtuDevice.StartAsync(async d =>
        {
            await d.ReadRequestAsync();
            var bad = FakeRtuDevice.ReadReply(1, 3, 0x1234);
            bad[3] ^= 0x04;
            await d.SendAsync(bad);
            await d.StallAsync();
        });
        await using var master = Master(fake);
        var registers = new ushort[1];

        await Assert.ThrowsAsync<ModbusCorruptFrameException>(() => master.ReadHoldingRegistersAsync(1, 0, registers, CancellationToken.None).AsTask());

        Assert.Equal(0, registers[0]);
    }

    [Fact]
    public async Task ReadHoldingRegisters_ReplyCutShort_TruncatedWithoutWaitingForTheTimeout()
    {
        await using var fake = await FakeRtuDevice.StartAsync(async d =>
        {
            await d.ReadRequestAsync();
            await d.SendAsync(FakeRtuDevice.ReadReply(1, 3, 0x1111, 0x2222)[..5]);
            await d.ReadRequestAsync();
            await d.SendAsync(FakeRtuDevice.ReadReply(1, 3, 0x3333, 0x4444));
            await d.StallAsync();
        });
        await using var master = new RtuMaster(new SerialRtuTransport(Settings(fake)), TimeSpan.FromSeconds(10));
        var started = DateTime.UtcNow;

        var ex = await Assert.ThrowsAsync<ModbusCorruptFrameException>(() => ReadTwo(master));
        var elapsed = DateTime.UtcNow - started;
        var second = await ReadTwo(master);

        Assert.Equal(CorruptFrameKind.Truncated, ex.Kind);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}: the 10 s request timeout was waited out");
        Assert.Equal([0x3333, 0x4444], second);
        Assert.Equal(1, master.TruncatedFrames);
    }

    [Fact]
    public async Task ReadHoldingRegisters_GarbageThenWrongUnit_BothRejectedThenTheLineRecovers()
    {
        await using var fake = await FakeRtuDevice.StartAsync(async d =>
        {
            await d.ReadRequestAsync();
            await d.SendAsync([0x00, 0xFF, 0x13, 0x37, 0x42, 0x99, 0x01, 0x03, 0x02, 0x12]);
            await d.ReadRequestAsync();
            await d.SendAsync(FakeRtuDevice.ReadReply(7, 3, 0x7777));
            await d.ReadRequestAsync();
            await d.SendAsync(FakeRtuDevice.ReadReply(1, 3, 0x1111));
            await d.StallAsync();
        });
        await using var master = Master(fake);

        var garbage = await Assert.ThrowsAsync<ModbusCorruptFrameException>(() => Read(master, 1));
        var wrongUnit = await Assert.ThrowsAsync<ModbusCorruptFrameException>(() => Read(master, 1));
        var good = await Read(master, 1);

        Assert.Equal(CorruptFrameKind.Unexpected, garbage.Kind);
        Assert.Contains("unit 7", wrongUnit.Message, StringComparison.Ordinal);
        Assert.Equal(0x1111, good);
        Assert.Equal(2, master.UnexpectedFrames);
    }

    [Fact]
    public async Task ReadHoldingRegisters_LateReplyAfterTheTimeout_DiscardedNotAttributedToTheNextRequest()
    {
        // Imitates a slave that answers after the master gave up: the late reply (0xAAAA) reaches the
        // line before the next request; it is byte for byte what the next request expects, so only
        // the discard-before-send rule keeps it from being taken as the answer.
        var lateSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = await FakeRtuDevice.StartAsync(async d =>
        {
            await d.ReadRequestAsync();
            await Task.Delay(700, d.Stop);
            await d.SendAsync(FakeRtuDevice.ReadReply(1, 3, 0xAAAA));
            lateSent.SetResult();
            await d.ReadRequestAsync();
            await d.SendAsync(FakeRtuDevice.ReadReply(1, 3, 0xBBBB));
            await d.StallAsync();
        });
        await using var master = new RtuMaster(new SerialRtuTransport(Settings(fake)), TimeSpan.FromMilliseconds(400));

        await Assert.ThrowsAsync<ModbusTimeoutException>(() => Read(master, 1));
        await lateSent.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(50); // the late bytes cross the pty; nothing in the master waits for them.
        var second = await master.ReadHoldingRegistersAsync(1, 0, 1, CancellationToken.None);

        // Whether the late bytes are counted as discarded or vanish with the cancelled read of
        // the timed-out request is up to the serial driver; either way they are not the answer.
        Assert.Equal(0xBBBB, second[0]);
    }

    [Fact]
    public async Task ReadHoldingRegisters_EverySeventhReplyJustAfterTheTimeout_NoValueIsEverMisattributed()
    {
        // Imitates a slave that is sometimes slow: every 7th reply comes 10 ms after the master
        // gave up, while the next request (the same unit, function and length) waits to go out.
        // Each reply carries the address it was asked for, so a misattributed one shows.
        var requestTimeout = TimeSpan.FromMilliseconds(100);
        var late = 0;
        var beyondDesign = 0;
        await using var fake = await FakeRtuDevice.StartAsync(async d =>
        {
            for (var n = 1; ; n++)
            {
                var request = await d.ReadRequestAsync();
                var received = System.Diagnostics.Stopwatch.GetTimestamp();
                if (n % 7 == 0)
                {
                    Interlocked.Increment(ref late);
                    await Task.Delay(requestTimeout + TimeSpan.FromMilliseconds(10), d.Stop);
                }

                // A reply more than three timeouts after its request is past what any RTU master
                // can tell from a reply to the next request (RtuMaster's remarks); on a machine
                // loaded far beyond its cores the fake itself can stall that long. Counted, so
                // such a stall excuses one misattribution and no more.
                if (System.Diagnostics.Stopwatch.GetElapsedTime(received) > 3 * requestTimeout)
                {
                    Interlocked.Increment(ref beyondDesign);
                }

                await d.SendAsync(FakeRtuDevice.ReadReply(request.Unit, request.Function, request.Address));
            }
        });
        await using var master = new RtuMaster(new SerialRtuTransport(Settings(fake)), requestTimeout);
        const int Polls = 140;
        var good = 0;
        var timeouts = 0;
        var misattributed = 0;

        for (var i = 0; i < Polls; i++)
        {
            var address = (ushort)(i % 1000);
            try
            {
                var registers = await master.ReadHoldingRegistersAsync(1, address, 1, CancellationToken.None);
                if (registers[0] == address)
                {
                    good++;
                }
                else
                {
                    misattributed++;
                }
            }
            catch (ModbusTimeoutException)
            {
                timeouts++;
            }
        }

        // A busy test machine may make an on-time reply miss the deadline too; that one is then
        // late as well, and must be discarded just the same. So timeouts are at least the late
        // replies, and most polls still succeed.
        Assert.InRange(misattributed, 0, Volatile.Read(ref beyondDesign));
        Assert.InRange(Volatile.Read(ref beyondDesign), 0, Polls / 14);
        Assert.Equal(Polls / 7, Volatile.Read(ref late));
        Assert.InRange(timeouts, Polls / 7, Polls / 2);
        Assert.Equal(Polls, good + timeouts + misattributed);
    }

    private static RtuMaster Master(FakeRtuDevice fake) => new(new SerialRtuTransport(Settings(fake)), Timeout);

    private static RtuSerialSettings Settings(FakeRtuDevice fake) =>
        new(fake.MasterPath, 115200, System.IO.Ports.Parity.None, 8, System.IO.Ports.StopBits.One);

    private static async Task<ushort> Read(RtuMaster master, byte unit) =>
        (await master.ReadHoldingRegistersAsync(unit, 0, 1, CancellationToken.None))[0];

    private static async Task<ushort[]> ReadTwo(RtuMaster master) =>
        await master.ReadHoldingRegistersAsync(1, 0, 2, CancellationToken.None);
}
