using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Modbus.Decoding;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Pipeline;
using EdgeCloud.Edge.Points;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Edge.Modbus.Polling;

/// <summary>
/// Polls one Modbus device (TCP, RTU or RTU over TCP: the master decides) at its poll interval and publishes exactly one point per tag per
/// poll, in the config's tag order: Good with the decoded value, or a bad quality with
/// <see cref="TagValue.None"/>. While the link is down it waits out a jittered backoff between
/// connect attempts but keeps publishing bad points every interval, so the hub sees the outage.
/// A corrupt reply on an RTU line makes its block BadCommunication for that poll only, an exception
/// response the quality of <see cref="ModbusExceptionQuality"/> with the code as detail; the poll
/// goes on with the next block.
/// Owns its master unless told otherwise (the service's masters are shared with tag writes). Not thread-safe: <see cref="RunAsync"/> runs once.
/// </summary>
internal sealed partial class DevicePoller : IAsyncDisposable
{
    private readonly ModbusDeviceConfig _device;
    private readonly IModbusMaster _master;
    private readonly IPointSink _sink;
    private readonly TimeProvider _time;
    private readonly ModbusMetrics _metrics;
    private readonly IReadOnlyList<ReadBlock> _plan;
    private readonly ushort[][] _buffers;
    private readonly bool[][] _bits;
    private readonly DataPoint[] _points;
    private readonly ReconnectBackoff _backoff;
    private readonly DeviceStatus _status;
    private readonly bool _ownsMaster;

    private bool _everConnected;
    private DateTimeOffset _nextConnectAttempt = DateTimeOffset.MinValue;
    private PointQuality _downQuality = PointQuality.BadNotConnected;

    // Shared with the other pollers of the same interval (the owner stops it); null: a clock of its own.
    private readonly PollClock? _clock;

    /// <summary>Creates the poller; <paramref name="master"/> becomes owned by it when <paramref name="ownsMaster"/> is true.</summary>
    public DevicePoller(
        ModbusDeviceConfig device,
        IModbusMaster master,
        IPointSink sink,
        TimeProvider time,
        ModbusMetrics metrics,
        ILogger logger,
        ReconnectBackoff? backoff = null,
        bool ownsMaster = true,
        PollClock? clock = null)
    {
        _ownsMaster = ownsMaster;
        _clock = clock;
        _device = device;
        _master = master;
        _sink = sink;
        _time = time;
        _metrics = metrics;
        _plan = ReadPlanner.Plan(device.Tags, device.Planning.MaxGap, device.Planning.MaxBlock);
        _buffers = [.. _plan.Select(b => b.Area.IsBits() ? [] : new ushort[b.Count])];
        _bits = [.. _plan.Select(b => b.Area.IsBits() ? new bool[b.Count] : [])];
        _points = new DataPoint[device.Tags.Count];
        _backoff = backoff ?? new ReconnectBackoff();
        _status = new DeviceStatus(device, logger);
    }

    /// <summary>
    /// Polls at once and then on every tick of its clock until <paramref name="cancellationToken"/> is
    /// cancelled (or a shared clock stops); never throws for a device failure.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var own = _clock is null ? new PollClock(_device.PollInterval, _time) : null;
        var clock = _clock ?? own!;
        var ticks = clock.Follow();
        using var stop = own is null ? default : cancellationToken.Register(static c => ((PollClock)c!).Dispose(), own);
        try
        {
            do
            {
                try
                {
                    await PollOnceAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // A bug or a failing sink must not end this device's loop, nor any other's.
                    _status.Unexpected(ex);
                }
            }
            while (await ticks.WaitForNextTickAsync() && !cancellationToken.IsCancellationRequested);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    /// <summary>Makes one poll and publishes its points.</summary>
    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        _metrics.Poll(_device.Name);
        // One array for every poll (the sink copies before its publish completes): a new one per
        // poll was the agent's largest allocation at 100k points/s. Cleared so that no point of
        // an earlier poll could go out again.
        var points = _points;
        Array.Clear(points);
        if (!_master.IsConnected && !await TryConnectAsync(cancellationToken))
        {
            FillBad(points, 0, _downQuality);
            await _sink.PublishAsync(points, cancellationToken);
            return;
        }

        if (!_everConnected)
        {
            // A device on an RTU bus another device already opened: the link is up without a
            // connect of its own. Noted, so a later loss reads BadCommunication, not "never reached".
            _everConnected = true;
            _status.Connected();
        }

        ModbusExceptionCode? firstException = null;
        var decodeFailures = 0;
        var corruptFrames = 0;
        var answered = false;
        for (var b = 0; b < _plan.Count; b++)
        {
            var block = _plan[b];
            try
            {
                if (block.Area.IsBits())
                {
                    await _master.ReadBitsAsync(block.Area, _device.UnitId, block.Start, _bits[b], cancellationToken);
                    answered = true;
                    DecodeBits(block, _bits[b], _time.GetUtcNow(), points);
                }
                else
                {
                    await _master.ReadRegistersAsync(block.Area, _device.UnitId, block.Start, _buffers[b], cancellationToken);
                    answered = true;
                    decodeFailures += Decode(block, _buffers[b], _time.GetUtcNow(), points);
                }
            }
            catch (ModbusException ex)
            {
                answered = true;
                firstException ??= ex.ExceptionCode;
                _metrics.Error(_device.Name, "exception");
                _metrics.Exception(_device.Name, ex.ExceptionCode);
                Fill(points, block, ModbusExceptionQuality.For(ex.ExceptionCode), (uint)ex.ExceptionCode, _time.GetUtcNow());
            }
            catch (ModbusCorruptFrameException ex)
            {
                // The line answered, but with a frame that failed its checks: nothing of it is used.
                corruptFrames++;
                _metrics.Error(_device.Name, ex.Kind switch
                {
                    CorruptFrameKind.Crc => "crc",
                    CorruptFrameKind.Truncated => "truncated",
                    _ => "unexpected",
                });
                _status.CorruptFrame(ex);
                Fill(points, block, PointQuality.BadCommunication, 0, _time.GetUtcNow());
            }
            catch (ModbusTimeoutException)
            {
                // The rest of this poll would most likely time out too; waiting for each block
                // would stretch one poll over many intervals.
                _metrics.Error(_device.Name, "timeout");
                _status.TimedOut(_device.Timeout);
                FillBad(points, b, PointQuality.BadTimeout);
                break;
            }
            catch (Exception ex) when (ex is ModbusTransportException or ModbusProtocolException)
            {
                _metrics.Error(_device.Name, ex is ModbusProtocolException ? "protocol" : "transport");
                LinkDown(ex.Message);
                FillBad(points, b, _downQuality);
                break;
            }
        }

        if (answered)
        {
            _status.Answered(firstException, decodeFailures, corruptFrames);
        }

        await _sink.PublishAsync(points, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _ownsMaster ? _master.DisposeAsync() : ValueTask.CompletedTask;

    private async ValueTask<bool> TryConnectAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() < _nextConnectAttempt)
        {
            return false;
        }

        if (_everConnected || _backoff.Attempt > 0)
        {
            _metrics.Reconnect(_device.Name);
        }

        try
        {
            await _master.ConnectAsync(cancellationToken);
        }
        catch (ModbusTransportException ex)
        {
            _metrics.Error(_device.Name, "connect");
            LinkDown(ex.Message);
            return false;
        }

        _backoff.Reset();
        _everConnected = true;
        _status.Connected();
        return true;
    }

    private void LinkDown(string reason)
    {
        // Before the first connection the device has never been reached: an installer reads
        // BadNotConnected as "check address and wiring", BadCommunication as "it worked, then broke".
        _downQuality = _everConnected ? PointQuality.BadCommunication : PointQuality.BadNotConnected;
        var delay = _backoff.Next();
        _nextConnectAttempt = _time.GetUtcNow() + delay;
        _status.Down(reason, _everConnected, delay);
    }

    private int Decode(ReadBlock block, ushort[] registers, DateTimeOffset at, DataPoint[] points)
    {
        var failures = 0;
        var tags = block.Tags;
        for (var i = 0; i < tags.Count; i++)
        {
            // By index: a foreach over the interface allocated an enumerator per read.
            var index = tags[i];
            var tag = _device.Tags[index];
            var offset = tag.Address - block.Start;
            if (RegisterDecoder.TryDecode(registers.AsSpan(offset), tag, out var value))
            {
                points[index] = new DataPoint(_device.Name, tag.Name, at, value, PointQuality.Good);
            }
            else
            {
                failures++;
                _metrics.Error(_device.Name, "decode");
                _status.DecodeFailed(tag);
                points[index] = new DataPoint(_device.Name, tag.Name, at, TagValue.None, PointQuality.BadConfiguration);
            }
        }

        return failures;
    }

    private void DecodeBits(ReadBlock block, bool[] bits, DateTimeOffset at, DataPoint[] points)
    {
        for (var i = 0; i < block.Tags.Count; i++)
        {
            var index = block.Tags[i];
            var tag = _device.Tags[index];
            points[index] = new DataPoint(_device.Name, tag.Name, at, TagValue.FromFlag(bits[tag.Address - block.Start]), PointQuality.Good);
        }
    }

    private void Fill(DataPoint[] points, ReadBlock block, PointQuality quality, uint detail, DateTimeOffset at)
    {
        for (var i = 0; i < block.Tags.Count; i++)
        {
            var index = block.Tags[i];
            points[index] = new DataPoint(_device.Name, _device.Tags[index].Name, at, TagValue.None, quality, detail);
        }
    }

    /// <summary>Marks the tags of every block from <paramref name="firstBlock"/> on (or all tags when nothing is planned yet).</summary>
    private void FillBad(DataPoint[] points, int firstBlock, PointQuality quality)
    {
        var at = _time.GetUtcNow();
        for (var b = firstBlock; b < _plan.Count; b++)
        {
            Fill(points, _plan[b], quality, 0, at);
        }
    }
}
