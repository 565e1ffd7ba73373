using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.EndToEnd.Tests.Fixtures;

/// <summary>
/// A fake network link between the agent and the hub, for failures a real hub cannot produce:
/// <see cref="ResetAll"/> kills every connection with a TCP RST (a NAT or firewall dropping state);
/// <see cref="StallAll"/> keeps the connections open but stops moving bytes either way (a link
/// that died silently: no FIN, no RST — only keepalive notices); <see cref="BytesPerSecondUp"/>
/// throttles the agent-to-hub direction (a slow uplink). New connections always pass.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Pair> _pairs = [];
    private readonly Lock _lock = new();
    private readonly Task _accept;
    private long _bytesUp;
    private long _bytesPerSecondUp;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections { get; private set; }

    /// <summary>Upper bound of the agent-to-hub rate in bytes per second; 0 for none. Applies at once to open connections.</summary>
    public long BytesPerSecondUp
    {
        get => Interlocked.Read(ref _bytesPerSecondUp);
        set => Interlocked.Exchange(ref _bytesPerSecondUp, value);
    }

    /// <summary>Bytes the agent side sent through the relay (towards the hub).</summary>
    public long BytesUp => Interlocked.Read(ref _bytesUp);

    public void ResetAll()
    {
        foreach (var pair in Snapshot())
        {
            pair.Reset();
        }
    }

    public void StallAll()
    {
        foreach (var pair in Snapshot())
        {
            pair.Stalled = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        ResetAll();
        await _accept;
        await Task.WhenAll(Snapshot().Select(p => p.Completion));

        _stop.Dispose();
    }

    private List<Pair> Snapshot()
    {
        lock (_lock)
        {
            return [.. _pairs];
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            }
            catch (SocketException)
            {
                // Hub down: refuse the way a real link would.
                client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                upstream.Dispose();
                continue;
            }

            var pair = new Pair(this, client, upstream, n => Interlocked.Add(ref _bytesUp, n));
            lock (_lock)
            {
                _pairs.Add(pair);
                Connections++;
            }

            pair.Start(_stop.Token);
        }
    }

    private sealed class Pair(TcpRelay relay, Socket client, Socket upstream, Action<int> countUp)
    {
        public volatile bool Stalled;

        public Task Completion { get; private set; } = Task.CompletedTask;

        public void Start(CancellationToken cancellationToken) =>
            Completion = Task.WhenAll(PumpAsync(client, upstream, cancellationToken), PumpAsync(upstream, client, cancellationToken));

        public void Reset()
        {
            foreach (var socket in new[] { client, upstream })
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                }
                catch (ObjectDisposedException)
                {
                    // Already gone.
                }
            }
        }

        private async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var read = await from.ReceiveAsync(buffer, cancellationToken);
                    if (read == 0)
                    {
                        break;
                    }

                    while (Stalled && !cancellationToken.IsCancellationRequested)
                    {
                        // Swallow: a silently dead link delivers nothing and says nothing.
                        read = await from.ReceiveAsync(buffer, cancellationToken);
                        if (read == 0)
                        {
                            return;
                        }
                    }

                    if (from == client)
                    {
                        countUp(read);
                    }

                    await to.SendAsync(buffer.AsMemory(0, read), cancellationToken);
                    if (from == client && relay.BytesPerSecondUp is > 0 and var rate)
                    {
                        // A slow uplink: hold the next read back for as long as these bytes take at that rate.
                        await Task.Delay(TimeSpan.FromSeconds((double)read / rate), cancellationToken);
                    }
                }

                to.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                Reset();
            }
        }
    }
}
