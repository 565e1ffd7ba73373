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
            using var timeoutSource = new CancellationTokenSource(timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
            await EnsureOpenAsync(linked.Token, cancellationToken);
            try
            {
                await DiscardUntilSilentAsync(_transport.InterFrameDelay, linked.Token);
                var length = RtuFrame.WriteRequest(_send, unitId, request);
                await _transport.WriteAsync(_send.AsMemory(0, length), linked.Token);
                _lastActivity = _time.GetTimestamp();

                var frameLength = await ReceiveReplyAsync(unitId, request, linked.Token);
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
            catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The reply may still come: the next request discards it before sending (it waits for silence first).
                _lastActivity = _time.GetTimestamp();
                throw new ModbusTimeoutException($"{Endpoint} unit {unitId} did not answer function {(byte)request.Function:X2} within {timeout.TotalMilliseconds:0} ms");
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
                var read = await _transport.ReadAsync(_receive.AsMemory(0, Math.Min(available, _receive.Length)), cancellationToken);
                if (read == 0)
                {
                    throw new IOException("the link was closed by the peer");
                }

                Interlocked.Add(ref _staleBytes, read);
                _lastActivity = _time.GetTimestamp();
                continue;
            }

            var quiet = _time.GetElapsedTime(_lastActivity);
            if (quiet >= silence)
            {
                return;
            }

            await Task.Delay(silence - quiet, _time, cancellationToken);
        }
    }
}
