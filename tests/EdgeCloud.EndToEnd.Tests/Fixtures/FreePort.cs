using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.EndToEnd.Tests.Fixtures;

/// <summary>Picks loopback ports that are free now (for peers that must be restarted on the same port).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
