using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Rtu;

/// <summary>The request/reply exchange and the line timing of <see cref="RtuMaster"/>.</summary>
internal sealed partial class RtuMaster
{
    /// <summary>Runs one request with its own timeout (a bus passes each device's timeout).</summary>
    internal async ValueTask ExecuteAsync(byte unitId, ModbusRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using (var openTimeout = new CancellationTokenSource(timeout, _time))
            using (var openLinked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, openTimeout.Token))
            {
                await EnsureOpenAsync(openLinked.Token, cancellationToken);
            }

            try
            {
                await WaitForQuietLineAsync(unitId, request, timeout, cancellationToken);

                // The request's own timeout starts once the line is quiet: waiting out someone
                // else's late reply must not eat this device's time to answer.
                using var timeoutSource = new CancellationTokenSource(timeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
                try
                {
                    await ExchangeAsync(unitId, request, linked.Token);
                }
                catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // The reply may still come: the next request discards it before sending (it waits for silence first).
                    _lastActivity = _time.GetTimestamp();
                    _lateReplyGuard = 2 * timeout > _transport.IncompleteFrameGap ? 2 * timeout : _transport.IncompleteFrameGap;
                    _lateReplyShape = Shape(unitId, request);
                    throw new ModbusTimeoutException($"{Endpoint} unit {unitId} did not answer function {(byte)request.Function:X2} within {timeout.TotalMilliseconds:0} ms");
                }
            }
            catch (Exception ex) when (ex is IOException and not ModbusCorruptFrameException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                _transport.Close();
                throw new ModbusTransportException($"{Endpoint} failed: {ex.Message}", ex, whileConnecting: false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends the request and takes its checked reply; throws for an exception response.</summary>
    private async ValueTask ExchangeAsync(byte unitId, ModbusRequest request, CancellationToken cancellationToken)
    {
        var length = RtuFrame.WriteRequest(_send, unitId, request);
        await _transport.WriteAsync(_send.AsMemory(0, length), cancellationToken);
        _lastActivity = _time.GetTimestamp();

        var frameLength = await ReceiveReplyAsync(unitId, request, cancellationToken);
        ModbusExceptionCode? code;
        try
        {
            code = request.ReadResponse(_receive.AsSpan(1, frameLength - 3));
        }
        catch (ModbusProtocolException ex)
        {
            // A CRC-valid frame with a wrong write echo: the device is confused, the line is fine.
            Interlocked.Increment(ref _unexpectedFrames);
            throw new ModbusCorruptFrameException(CorruptFrameKind.Unexpected, $"{Endpoint} unit {unitId}: {ex.Message}");
        }

        if (code is { } exceptionCode)
        {
            throw new ModbusException(request.Function, exceptionCode);
        }
    }

    /// <summary>
    /// The inter-frame silence before a request, discarding whatever arrives meanwhile. RTU replies
    /// carry no transaction id: after a timeout, the late reply would be byte for byte a valid
    /// answer to a request of the same unit, function and quantity (whatever its address), so such
    /// a request first waits until the line has been quiet for twice the timeout that expired (at
    /// least a frame gap): a slave that misses its deadline is taken to answer within three times
    /// it, or not at all. Only the device that timed out pays this, once, and usually its next
    /// request comes a poll interval later anyway. Any other request only waits 3.5 characters: a late reply to it
    /// fails the unit, function or byte-count check and costs a resync, never a wrong value, and
    /// the other devices of a bus do not pay for a dead one. A line that never falls silent within
    /// <paramref name="budget"/> is reported as a corrupt frame.
    /// </summary>
    private async ValueTask WaitForQuietLineAsync(byte unitId, ModbusRequest request, TimeSpan budget, CancellationToken cancellationToken)
    {
        var guarded = _lateReplyGuard > _transport.InterFrameDelay && _lateReplyShape == Shape(unitId, request);
        var silence = guarded ? _lateReplyGuard : _transport.InterFrameDelay;
        // Generous: the point is to catch a line that babbles without end, not to time the silence.
        using var limit = new CancellationTokenSource((3 * silence) + budget, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            await DiscardUntilSilentAsync(silence, linked.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _unexpectedFrames);
            throw new ModbusCorruptFrameException(
                CorruptFrameKind.Unexpected,
                $"{Endpoint}: the line never fell silent for {silence.TotalMilliseconds:0.##} ms; another master or noise on the bus?");
        }

        if (guarded)
        {
            _lateReplyGuard = TimeSpan.Zero;
        }
    }

    /// <summary>What makes a reply fit a request: unit, function and (for reads) the byte count; for writes, the echo.</summary>
    private static (byte Unit, ModbusFunctionCode Function, int Quantity) Shape(byte unitId, in ModbusRequest request) =>
        (unitId, request.Function, request.IsRegisterRead || request.IsBitRead ? request.ReadReplyBytes : -1);

    /// <summary>Reads until the reply is complete and checked; returns its length. Rejections resync the line and throw.</summary>
    private async ValueTask<int> ReceiveReplyAsync(byte unitId, ModbusRequest request, CancellationToken cancellationToken)
    {
        var received = 0;
        while (true)
        {
            var status = RtuFrame.TryReadReply(_receive.AsSpan(0, received), unitId, request, out var length, out var problem);
            switch (status)
            {
                case RtuFrameStatus.Complete:
                    return length;
                case RtuFrameStatus.CrcError:
                    Interlocked.Increment(ref _crcErrors);
                    await ResyncAsync(cancellationToken);
                    throw new ModbusCorruptFrameException(CorruptFrameKind.Crc, $"{Endpoint} unit {unitId}: {problem}");
                case RtuFrameStatus.Unexpected:
                    Interlocked.Increment(ref _unexpectedFrames);
                    await ResyncAsync(cancellationToken);
                    throw new ModbusCorruptFrameException(CorruptFrameKind.Unexpected, $"{Endpoint} unit {unitId}: {problem}");
            }

            int read;
            if (received == 0)
            {
                // Waiting for the device to start answering: bounded by the request timeout only.
                read = await _transport.ReadAsync(_receive.AsMemory(0, RtuFrame.MaxLength), cancellationToken);
            }
            else
            {
                using var gap = new CancellationTokenSource(_transport.IncompleteFrameGap, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, gap.Token);
                try
                {
                    read = await _transport.ReadAsync(_receive.AsMemory(received, RtuFrame.MaxLength - received), linked.Token);
                }
                catch (OperationCanceledException) when (gap.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _truncatedFrames);
                    _lastActivity = _time.GetTimestamp();
                    throw new ModbusCorruptFrameException(
                        CorruptFrameKind.Truncated,
                        $"{Endpoint} unit {unitId}: reply stopped after {received} bytes (line silent for {_transport.IncompleteFrameGap.TotalMilliseconds:0} ms)");
                }
            }

            if (read == 0)
            {
                throw new IOException("the link was closed by the peer");
            }

            received += read;
            _lastActivity = _time.GetTimestamp();
        }
    }

    /// <summary>After a rejected frame: waits until the line has been quiet for a frame gap, discarding what arrives.</summary>
    private async ValueTask ResyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DiscardUntilSilentAsync(_transport.IncompleteFrameGap, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Out of time for this request; the next one resyncs again before it sends.
        }
    }

    /// <summary>
    /// Waits until nothing has arrived for <paramref name="silence"/>, reading and dropping any bytes
    /// that do. RTU frames are delimited by silence only, so this is what puts the master back on a
    /// frame boundary; before a request it is also the 3.5-character inter-frame delay.
    /// </summary>
    private async ValueTask DiscardUntilSilentAsync(TimeSpan silence, CancellationToken cancellationToken)
    {
        while (true)
        {
            var available = _transport.BytesAvailable;
            if (available > 0)
            {
                // Bytes are waiting, so this read completes at once: no cancellation involved,
                // which matters because the Unix serial stream notices cancellation only on its
                // own polling tick, far coarser than 3.5 characters.
                var read = await _transport.ReadAsync(_receive.AsMemory(0, Math.Min(available, _receive.Length)), cancellationToken);
                if (read == 0)
                {
                    throw new IOException("the link was closed by the peer");
                }

                Interlocked.Add(ref _staleBytes, read);
                _lastActivity = _time.GetTimestamp();
                continue;
            }

            var remaining = silence - _time.GetElapsedTime(_lastActivity);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            // Short slices, so bytes arriving meanwhile restart the silence close to when they came.
            await Task.Delay(remaining < QuietPollSlice ? remaining : QuietPollSlice, _time, cancellationToken);
        }
    }
}
