using System.Net.Sockets;
using System.Runtime.CompilerServices;
using EdgeCloud.Edge.Modbus.Protocol;

namespace EdgeCloud.Edge.Modbus.Tcp;

/// <summary>The request/reply exchange and the socket handling of <see cref="ModbusTcpMaster"/>.</summary>
internal sealed partial class ModbusTcpMaster
{
    private enum Phase
    {
        Connecting,
        Sending,
        Receiving,
    }

    /// <inheritdoc />
    /// <remarks>
    /// Runs for every read of every poll (a thousand a second at a gateway's rate), so it allocates
    /// nothing of its own in steady state: its state machine comes from a pool, and one timeout
    /// source, reset after each request that was not cancelled, serves every request (the caller's
    /// token cancels it through a registration instead of a linked source per request).
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExecuteAsync(byte unitId, ModbusRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var timeout = _timeoutSource ??= new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
            timeout.CancelAfter(_timeout);
            using var callerCancels = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timeout);
            await EnsureConnectedAsync(timeout.Token, cancellationToken);
            var phase = Phase.Sending;
            try
            {
                var transactionId = unchecked(++_transactionId);
                var pduLength = request.WritePdu(_send.AsSpan(MbapHeader.Size));
                new MbapHeader(transactionId, 0, (ushort)(pduLength + 1), unitId).Write(_send);
                await SendAllAsync(MbapHeader.Size + pduLength, timeout.Token);

                phase = Phase.Receiving;
                ModbusExceptionCode? exceptionCode;
                while (!TryTakeReply(await ReceiveFrameAsync(timeout.Token), transactionId, unitId, request, out exceptionCode))
                {
                    // A late reply to an earlier request: skipped, keep reading for ours.
                }

                _consecutiveTimeouts = 0;
                if (exceptionCode is { } code)
                {
                    throw new ModbusException(request.Function, code);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // A half-sent request cannot be taken back, and a peer that keeps missing deadlines is
                // likely wedged: both get a fresh connection. A plain late reply is resynced by id.
                if (phase == Phase.Sending || ++_consecutiveTimeouts >= MaxConsecutiveTimeouts)
                {
                    Close();
                }

                throw new ModbusTimeoutException($"{Endpoint} unit {unitId} did not answer function {(byte)request.Function:X2} within {_timeout.TotalMilliseconds:0} ms");
            }
            catch (OperationCanceledException) when (phase == Phase.Sending)
            {
                Close();
                throw;
            }
            catch (ModbusProtocolException)
            {
                Close();
                throw;
            }
            catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
            {
                Close();
                throw new ModbusTransportException($"connection to {Endpoint} lost: {Describe(ex)}", ex, whileConnecting: false);
            }
        }
        finally
        {
            if (_timeoutSource is { } used && !used.TryReset())
            {
                // Cancelled (a timeout or the caller): a cancelled source cannot be reused.
                used.Dispose();
                _timeoutSource = null;
            }

            _gate.Release();
        }
    }

    private bool TryTakeReply(int frameLength, ushort transactionId, byte unitId, in ModbusRequest request, out ModbusExceptionCode? exceptionCode)
    {
        exceptionCode = null;
        MbapHeader.TryRead(_receive, out var header);
        if (header.TransactionId != transactionId)
        {
            Interlocked.Increment(ref _lateReplies);
            Consume(frameLength);
            return false;
        }

        if (header.UnitId != unitId)
        {
            throw new ModbusProtocolException($"reply from unit {header.UnitId} to a request for unit {unitId}");
        }

        exceptionCode = request.ReadResponse(_receive.AsSpan(MbapHeader.Size, frameLength - MbapHeader.Size));
        Consume(frameLength);
        return true;
    }

    /// <summary>Reads until one whole frame sits at the start of the receive buffer; returns its length.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        var socket = _socket!;
        while (true)
        {
            if (MbapHeader.TryRead(_receive.AsSpan(0, _received), out var header))
            {
                if (header.Problem() is { } problem)
                {
                    throw new ModbusProtocolException($"malformed frame from {Endpoint}: {problem}");
                }

                if (_received >= header.FrameLength)
                {
                    return header.FrameLength;
                }
            }

            var read = await socket.ReceiveAsync(_receive.AsMemory(_received), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new IOException("the device closed the connection");
            }

            _received += read;
        }
    }

    private void Consume(int frameLength)
    {
        _received -= frameLength;
        if (_received > 0)
        {
            Buffer.BlockCopy(_receive, frameLength, _receive, 0, _received);
        }
    }

    private async ValueTask SendAllAsync(int length, CancellationToken cancellationToken)
    {
        var socket = _socket!;
        var sent = 0;
        while (sent < length)
        {
            sent += await socket.SendAsync(_send.AsMemory(sent, length - sent), SocketFlags.None, cancellationToken);
        }
    }
}
