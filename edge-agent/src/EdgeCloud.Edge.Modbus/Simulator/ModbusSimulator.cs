using System.Net;
using System.Net.Sockets;
using EdgeCloud.Edge.Modbus.Protocol;
using EdgeCloud.Edge.Modbus.Tcp;

namespace EdgeCloud.Edge.Modbus.Simulator;

/// <summary>
/// A Modbus TCP server (slave) over a <see cref="SimulatorRegisterMap"/>, for
/// <c>edge-agent simulate modbus</c> and for tests. Serves functions 1-6, 15 and 16 to up to
/// <see cref="ModbusSimulatorOptions.MaxClients"/> clients at once, each answered in request order.
/// A request for another unit id than <see cref="ModbusSimulatorOptions.UnitId"/> is answered with
/// exception 0x0B (GatewayTargetFailedToRespond), so a wrong unit id shows at once instead of as
/// a timeout. A malformed MBAP header closes that client's connection. Every task it starts is
/// awaited by <see cref="DisposeAsync"/>.
/// </summary>
internal sealed class ModbusSimulator : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly ModbusSimulatorOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _sessions = [];
    private Task _acceptLoop = Task.CompletedTask;

    private ModbusSimulator(Socket listener, ModbusSimulatorOptions options, TimeProvider time)
    {
        _listener = listener;
        _options = options;
        Map = new SimulatorRegisterMap(time, options.Profile ?? DeviceProfile.Default);
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>The registers served.</summary>
    public SimulatorRegisterMap Map { get; }

    /// <summary>Where it listens (the real port when 0 was asked for).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The unit id served.</summary>
    public byte UnitId => _options.UnitId;

    /// <summary>Binds and starts serving; the socket is listening when this returns.</summary>
    public static ModbusSimulator Start(ModbusSimulatorOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = options.ListenOnAllInterfaces ? IPAddress.Any : IPAddress.Loopback;
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(address, options.Port));
            listener.Listen(options.MaxClients);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var simulator = new ModbusSimulator(listener, options, time ?? TimeProvider.System);
        simulator._acceptLoop = simulator.AcceptLoopAsync(simulator._stop.Token);
        return simulator;
    }

    /// <summary>
    /// Runs the simulator until <paramref name="cancellationToken"/> is cancelled, printing where it
    /// listens and its register map to <paramref name="output"/>. Entry point of <c>edge-agent simulate modbus</c>.
    /// </summary>
    public static async Task RunAsync(int port, bool listenOnAllInterfaces, byte unitId, TextWriter output, CancellationToken cancellationToken, DeviceProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var simulator = Start(new ModbusSimulatorOptions { Port = port, ListenOnAllInterfaces = listenOnAllInterfaces, UnitId = unitId, Profile = profile });
        await output.WriteLineAsync($"Modbus TCP simulator listening on {simulator.EndPoint} (unit {unitId}); Ctrl+C stops it.");
        try
        {
            // Stopping while the map is still being printed is a normal stop too.
            await WriteMapAsync(simulator.Map.Profile, output, cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Asked to stop.
        }
    }

    /// <summary>
    /// Serves <paramref name="profile"/> (or the built-in map) as an RTU slave on the serial port of
    /// <paramref name="settings"/> until cancelled. Entry point of <c>edge-agent simulate modbus --serial</c>.
    /// </summary>
    public static async Task RunRtuAsync(Rtu.RtuSerialSettings settings, byte unitId, TextWriter output, CancellationToken cancellationToken, DeviceProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        var map = new SimulatorRegisterMap(TimeProvider.System, profile ?? DeviceProfile.Default);
        var slave = new ModbusRtuSimulator(map, unitId, settings);
        await output.WriteLineAsync($"Modbus RTU simulator on {settings.PortName} at {settings.BaudRate} baud (unit {unitId}); Ctrl+C stops it.");
        await WriteMapAsync(map.Profile, output, cancellationToken);
        await slave.RunAsync(cancellationToken);
    }

    /// <summary>Stops listening, closes every client and waits for their tasks.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        await Task.WhenAll(_sessions);
        _stop.Dispose();
    }

    private static async Task WriteMapAsync(DeviceProfile profile, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"Serving {profile.Holding} holding and {profile.Input} input registers, {profile.Coils} coils, {profile.DiscreteInputs} discrete inputs:");
        foreach (var tag in profile.Tags)
        {
            var range = double.IsNaN(tag.Min) ? "" : $"{tag.Min} .. {tag.Max} {tag.Unit}";
            await output.WriteLineAsync(
                $"  {tag.Area.ToString().ToLowerInvariant(),-13} {tag.Address,5}  {tag.Type.ToString().ToLowerInvariant(),-7} {tag.Order}  {tag.Name,-11} {range}");
        }

        await output.FlushAsync(cancellationToken);
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // A client that vanished between SYN and accept.
            }

            // Only this loop touches _sessions until it ends; finished sessions are pruned here,
            // so the list never holds more than MaxClients tasks.
            _sessions.RemoveAll(t => t.IsCompleted);
            if (_sessions.Count >= _options.MaxClients)
            {
                client.Dispose();
                continue;
            }

            client.NoDelay = true;
            _sessions.Add(ServeAsync(client, cancellationToken));
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        using var _ = client;
        var request = new byte[MbapHeader.Size + ModbusPdu.MaxLength];
        var response = new byte[MbapHeader.Size + ModbusPdu.MaxLength];
        try
        {
            while (await ReadExactlyAsync(client, request.AsMemory(0, MbapHeader.Size), cancellationToken))
            {
                MbapHeader.TryRead(request, out var header);
                if (header.Problem() is not null
                    || !await ReadExactlyAsync(client, request.AsMemory(MbapHeader.Size, header.Length - 1), cancellationToken))
                {
                    return;
                }

                var pdu = request.AsSpan(MbapHeader.Size, header.Length - 1);
                var length = header.UnitId == _options.UnitId
                    ? SimulatorRequestHandler.Handle(pdu, response.AsSpan(MbapHeader.Size), Map)
                    : SimulatorRequestHandler.Exception(response.AsSpan(MbapHeader.Size), pdu[0], ModbusExceptionCode.GatewayTargetFailedToRespond);
                new MbapHeader(header.TransactionId, 0, (ushort)(length + 1), header.UnitId).Write(response);
                await client.SendAsync(response.AsMemory(0, MbapHeader.Size + length), SocketFlags.None, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client left or the simulator stops: either way this session is over.
        }
    }

    private static async ValueTask<bool> ReadExactlyAsync(Socket client, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await client.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
