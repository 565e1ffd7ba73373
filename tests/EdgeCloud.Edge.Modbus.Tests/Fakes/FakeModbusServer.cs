using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.Edge.Modbus.Tests.Fakes;

/// <summary>
/// A scripted TCP peer on a loopback port for the failures pymodbus cannot be made to produce
/// (late, garbage, stalled and reset replies). Each accepted connection runs the script with its
/// index (0 for the first); every task it starts is awaited at dispose.
/// </summary>
internal sealed class FakeModbusServer : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Func<FakeConnection, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accept;
    private int _accepted;
    private int _finished;

    public FakeModbusServer(Func<FakeConnection, Task> script)
    {
        _script = script;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(8);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _accept = AcceptAsync();
    }

    public int Port { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections whose script ended and whose socket is closed.</summary>
    public int Finished => Volatile.Read(ref _finished);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accept;
        await Task.WhenAll(_connections);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var index = Interlocked.Increment(ref _accepted) - 1;
            _connections.Add(RunAsync(new FakeConnection(socket, index, _stop.Token)));
        }
    }

    private async Task RunAsync(FakeConnection connection)
    {
        using (connection)
        {
            try
            {
                await _script(connection);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or EndOfStreamException)
            {
                // The master went away or the test ended.
            }
        }

        Interlocked.Increment(ref _finished);
    }
}
